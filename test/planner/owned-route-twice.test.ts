import { describe, expect, it } from "vitest";
import { routeKey } from "../../src/model/index.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { desired } from "./foreign-host.js";
import { diff, hostState, net, route, underlay } from "./states.js";

// Recorded on a host-gw lab host (kernel/truth-faults/route-prepended-next-hop.json) after
// `ip route prepend 10.8.2.0/24 via 198.51.100.99 dev eth0 proto 77` beside netplan-k's
// `10.8.2.0/24 via 198.51.100.22 dev eth0 proto 77`: the kernel lists both, the prepended one
// first, and `ip route get 10.8.2.5` answers via 198.51.100.99.
const recorded = parseIpRoutes(
  readJsonFixture("kernel/truth-faults/route-prepended-next-hop.json"),
);

describe("two routes of netplan-k's with one key (ip route prepend)", () => {
  it("the kernel lists both, the prepended one first", () => {
    const block = recorded.filter((r) => r.dst === "10.8.2.0/24");
    expect(block.map((r) => r.via)).toEqual(["198.51.100.99", "198.51.100.22"]);
    expect(new Set(block.map(routeKey)).size).toBe(1);
  });

  const observedWith = (...routes: ReturnType<typeof route>[]) =>
    hostState({
      root: net({
        links: [underlay, ...desired.root.links],
        addresses: desired.root.addresses,
        routes,
      }),
    });
  const wanted = route("10.244.2.0/24", { via: "192.168.64.6", dev: "eth0" });
  const prepended = route("10.244.2.0/24", { via: "192.168.64.99", dev: "eth0" });

  it("is a conflict naming the one the kernel uses and its delete", () => {
    expect(diff(desired, observedWith(prepended, wanted)).conflicts).toEqual([
      {
        kind: "route",
        key: "254/10.244.2.0/24/0",
        reason:
          "route 10.244.2.0/24 via 192.168.64.6 dev eth0 is held twice: route 10.244.2.0/24 via " +
          "192.168.64.99 dev eth0 has the same prefix, table and metric and is listed first, so " +
          "the kernel uses it; delete it (ip route del 10.244.2.0/24 via 192.168.64.99 dev eth0 " +
          "table 254) and plan again",
      },
    ]);
  });

  it("no false alarm: the one route of the key", () => {
    expect(diff(desired, observedWith(wanted)).conflicts).toEqual([]);
  });
});
