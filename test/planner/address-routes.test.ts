import { describe, expect, it } from "vitest";
import { parseIpAddresses } from "../../src/observe/parse-ip-addresses.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { isDerivedFromAddress } from "../../src/planner/address-routes.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { route } from "./states.js";

// test/fixtures/kernel/rule-actions: a namespace whose eth0 holds 10.244.1.1/24 and the
// secondary 10.244.1.2/24, 10.244.5.1/32 and 10.244.6.1/24 noprefixroute; eth1 holds
// 10.244.7.5 peer 10.244.8.0/26 and 10.244.9.5 peer 10.244.9.0/24; routes added by hand with
// proto kernel: 10.244.3.0/24 dev eth0, and 10.244.4.0/24 dev eth0 table 100 src 10.244.1.1.
const addresses = parseIpAddresses(readJsonFixture("kernel/rule-actions/addr.json"));
const routes = parseIpRoutes(readJsonFixture("kernel/rule-actions/route.json"));
const describeRoute = (r: (typeof routes)[number]) => `${r.type} ${r.dst} table ${r.table}`;

describe("isDerivedFromAddress, against what the kernel derived in a namespace", () => {
  it("every route an address gives is derived, secondary and /32 and noprefixroute ones too", () => {
    expect(routes.filter((r) => isDerivedFromAddress(r, addresses)).map(describeRoute)).toEqual([
      "unicast 10.244.1.0/24 table 254",
      "unicast 10.244.9.0/24 table 254",
      "local 10.244.1.1/32 table 255",
      "local 10.244.1.2/32 table 255",
      "broadcast 10.244.1.255/32 table 255",
      "local 10.244.5.1/32 table 255",
      "local 10.244.6.1/32 table 255",
      "broadcast 10.244.6.255/32 table 255",
      "local 10.244.7.5/32 table 255",
      "local 10.244.9.5/32 table 255",
      "broadcast 10.244.9.255/32 table 255",
      "local 127.0.0.0/8 table 255",
      "local 127.0.0.1/32 table 255",
      "broadcast 127.255.255.255/32 table 255",
    ]);
  });

  it("proto kernel by hand, in another table, or a point-to-point peer's prefix is not", () => {
    expect(routes.filter((r) => !isDerivedFromAddress(r, addresses)).map(describeRoute)).toEqual([
      "unicast 10.244.4.0/24 table 100",
      "unicast 10.244.3.0/24 table 254",
      "unicast 10.244.8.0/26 table 254",
      "broadcast 10.244.8.63/32 table 255",
    ]);
  });

  it("a source that no address of that network on the device has is not", () => {
    const connected = { dev: "eth0", scope: "link", protocol: 2 } as const;
    expect(
      isDerivedFromAddress(
        route("10.244.1.0/24", { ...connected, metric: 5, prefsrc: "10.244.5.1" }),
        addresses,
      ),
    ).toBe(false);
    // Without src (a snapshot from before netplan-k read it): the address's own shape.
    expect(isDerivedFromAddress(route("10.244.1.0/24", connected), addresses)).toBe(true);
    expect(
      isDerivedFromAddress(route("10.244.1.0/24", { ...connected, via: "10.244.1.9" }), addresses),
    ).toBe(false);
  });
});
