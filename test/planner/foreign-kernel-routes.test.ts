import { describe, expect, it } from "vitest";
import type { Address, Route } from "../../src/model/index.js";
import { conflictReasons, everyRule, planWith } from "./foreign-host.js";
import { route } from "./states.js";

// `proto kernel` routes are skipped only when an address of the host derives them
// (address-routes.ts): the address is judged instead. Every other one is judged as a route.

/** A route as the kernel derives it from an address, or as someone adds it with proto kernel. */
const kernelRoute = (dst: string, fields: Partial<Route>): Route =>
  route(dst, { scope: "link", protocol: 2, ...fields });

/** The routes the kernel derives from `cidr` on `dev` (recorded in kernel/rule-actions). */
function derivedRoutes(dev: string, cidr: string, network: string, broadcast: string): Route[] {
  const prefsrc = cidr.split("/")[0];
  return [
    kernelRoute(network, { dev, prefsrc }),
    kernelRoute(`${prefsrc}/32`, { dev, prefsrc, table: 255, type: "local", scope: "host" }),
    kernelRoute(`${broadcast}/32`, { dev, prefsrc, table: 255, type: "broadcast" }),
  ];
}

const ptp0 = { name: "ptp0", kind: "", mtu: 1500, up: true } as const;

describe("proto kernel routes that no address derives are judged like any route", () => {
  it("one added by hand with proto kernel inside a peer's block", () => {
    const plan = planWith({ routes: [kernelRoute("10.244.2.128/25", { dev: "eth0" })] });
    expect(conflictReasons(plan)).toEqual([
      "route 10.244.2.128/25 dev eth0 scope link proto kernel is not netplan-k's and takes " +
        "10.244.2.128/25 of 10.244.2.0/24 (route 10.244.2.0/24 via 192.168.64.6 dev eth0); " +
        "remove it (ip route del 10.244.2.128/25 table 254) or change the topology",
    ]);
  });

  it("the peer prefix of a point-to-point address (ip addr add A peer P/len)", () => {
    // `ip addr add 192.168.64.50 peer 10.244.2.0/26 dev ptp0`: ip -j addr shows local A,
    // prefixlen 26; the kernel routes the peer's network and its broadcast address.
    const address: Address = { dev: "ptp0", cidr: "192.168.64.50/26" };
    const plan = planWith({
      links: [ptp0],
      addresses: [address],
      routes: [
        kernelRoute("10.244.2.0/26", { dev: "ptp0", prefsrc: "192.168.64.50" }),
        ...derivedRoutes("ptp0", address.cidr, "192.168.64.0/26", "10.244.2.63").slice(1),
      ],
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual([
      "254/10.244.2.0/26/0",
      "255/10.244.2.63/32/0",
    ]);
    expect(plan.conflicts[0]?.reason).toContain("takes 10.244.2.0/26 of 10.244.2.0/24");
  });

  it("one in a table a rule sends the cluster's traffic to, even with an address's shape", () => {
    const plan = planWith({
      routes: [kernelRoute("10.244.1.0/24", { dev: "cni0", prefsrc: "10.244.1.1", table: 100 })],
      rules: everyRule(100, 100),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["100/10.244.1.0/24/0"]);
  });
});

describe("the routes an address derives are the address's: judged once, as the address", () => {
  it("no conflict: cni0's own routes, docker0 on its own range, a secondary DHCP address", () => {
    const plan = planWith({
      addresses: [
        { dev: "docker0", cidr: "172.17.0.1/16" },
        { dev: "eth0", cidr: "192.168.64.5/24" },
        { dev: "eth0", cidr: "192.168.64.77/24" },
      ],
      routes: [
        ...derivedRoutes("cni0", "10.244.1.1/24", "10.244.1.0/24", "10.244.1.255"),
        ...derivedRoutes("docker0", "172.17.0.1/16", "172.17.0.0/16", "172.17.255.255"),
        ...derivedRoutes("eth0", "192.168.64.5/24", "192.168.64.0/24", "192.168.64.255"),
        kernelRoute("192.168.64.77/32", {
          dev: "eth0",
          prefsrc: "192.168.64.5",
          table: 255,
          type: "local",
          scope: "host",
        }),
      ],
    });
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it("a foreign address inside the block is one conflict, not one per route it derives", () => {
    const plan = planWith({
      addresses: [{ dev: "docker0", cidr: "10.244.1.77/24" }],
      routes: derivedRoutes("docker0", "10.244.1.77/24", "10.244.1.0/24", "10.244.1.255"),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["docker0/10.244.1.77/24"]);
  });
});
