import { describe, expect, it } from "vitest";
import { desiredFabric } from "../../src/lab/desired-fabric.js";
import { IPV6_FORWARD } from "../../src/lab/fabric-state.js";
import { layoutLab } from "../../src/lab/lab-layout.js";
import { parseFabricObservation } from "../../src/lab/parse-fabric-observation.js";
import { planFabric } from "../../src/lab/plan-fabric.js";
import { readRecordedFabric } from "./fabric-fixtures.js";

// A dual-stack lab of two segments whose router carries IPv6 legs beside its IPv4 ones, as
// recorded from lab v2 after lab up, apply and verify in both families (fabric-fixtures.ts).
const recorded = readRecordedFabric("dual-stack-routed");
const { topology, spec } = recorded.lab;
const layout = layoutLab(topology, spec);
const observed = parseFabricObservation(recorded.observation, spec.prefix);

describe("a dual-stack lab across a router with IPv6 legs", () => {
  it("puts each IPv6 leg on the interface of the router's IPv4 leg on that segment", () => {
    const [router] = layout.routers;
    expect(
      router?.attachments.map((a) => `${a.interface} ${a.address} ${a.ipv6?.address ?? "-"}`),
    ).toEqual(["eth0 192.0.2.1 2001:db8::1", "eth1 198.51.100.1 2001:db8:1::1"]);
  });

  it("routes each host to the other segment's IPv6 subnet through the router", () => {
    const routes = Object.fromEntries(
      layout.hosts.map((h) => [h.name, h.routes.map((r) => `${r.dst} via ${r.via}`)]),
    );
    expect(routes).toEqual({
      "node-1": ["198.51.100.0/24 via 192.0.2.1", "2001:db8:1::/64 via 2001:db8::1"],
      "node-2": ["198.51.100.0/24 via 192.0.2.1", "2001:db8:1::/64 via 2001:db8::1"],
      "node-3": ["192.0.2.0/24 via 198.51.100.1", "2001:db8::/64 via 2001:db8:1::1"],
    });
  });

  it("reads the IPv6 routes, addresses and forwarding the lab made, and has nothing to do", () => {
    const router = observed.addresses.filter((a) => a.namespace === "v2-r-r1").map((a) => a.cidr);
    expect(router).toEqual(expect.arrayContaining(["2001:db8::1/64", "2001:db8:1::1/64"]));
    expect(observed.sysctls).toContainEqual({
      namespace: "v2-r-r1",
      key: IPV6_FORWARD,
      value: "1",
    });
    expect(observed.routes).toContainEqual({
      namespace: "v2-node-3",
      dst: "2001:db8::/64",
      via: "2001:db8:1::1",
      dev: "eth0",
    });
    // netplan-k's own IPv6 routes (proto 77) in the hosts are not the lab's.
    expect(observed.routes.some((r) => r.dst.startsWith("fd00:"))).toBe(false);
    const plan = planFabric(desiredFabric(layout), observed);
    expect(plan.refusals).toEqual([]);
    expect(plan.removals).toEqual([]);
    expect(plan.steps.filter((step) => step.actions.length > 0)).toEqual([]);
  });
});
