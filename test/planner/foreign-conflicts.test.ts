import { describe, expect, it } from "vitest";
import type { Route, RoutingRule } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { diffHost } from "../../src/planner/diff-host.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { conflictReasons, desired, everyRule, foreignRoute, planWith } from "./foreign-host.js";
import { diff, hostState, net, route, underlay } from "./states.js";
import { modes } from "../../src/modes/registry.js";

describe("foreign routes: a conflict when they would win the longest-prefix match", () => {
  it("a more specific route inside a block the topology routes", () => {
    const plan = planWith({ routes: [foreignRoute("10.244.2.128/25")] });
    expect(conflictReasons(plan)).toEqual([
      "route 10.244.2.128/25 via 192.168.64.99 dev eth0 proto static is not netplan-k's and " +
        "takes 10.244.2.128/25 of 10.244.2.0/24 (route 10.244.2.0/24 via 192.168.64.6 dev eth0); " +
        "remove it (ip route del 10.244.2.128/25 table 254) or change the topology",
    ]);
    expect(plan.changes).toEqual([]);
  });

  it("a more specific route inside the host's own block (the connected route of cni0)", () => {
    const plan = planWith({ routes: [foreignRoute("10.244.1.64/26", { protocol: "nhrp" })] });
    expect(conflictReasons(plan)).toEqual([
      expect.stringContaining(
        "route 10.244.1.64/26 via 192.168.64.99 dev eth0 proto nhrp is not netplan-k's and takes 10.244.1.64/26 of 10.244.1.0/24 (address 10.244.1.1/24 on cni0)",
      ),
    ]);
  });

  it("the same prefix with a better metric", () => {
    const plan = diff(
      hostState({ root: net({ routes: [route("10.244.2.0/24", { metric: 100, dev: "eth0" })] }) }),
      hostState({
        root: net({
          links: [underlay],
          routes: [
            route("10.244.2.0/24", { metric: 100, dev: "eth0" }),
            foreignRoute("10.244.2.0/24", { metric: 50 }),
          ],
        }),
      }),
    );
    expect(plan.conflicts.map((c) => c.key)).toEqual(["254/10.244.2.0/24/50"]);
  });

  it("the same prefix and metric: the key is taken (reported once)", () => {
    const plan = diff(
      desired,
      hostState({
        root: net({
          links: [underlay, ...desired.root.links],
          addresses: desired.root.addresses,
          routes: [foreignRoute("10.244.2.0/24", { via: "192.168.64.99" })],
        }),
      }),
    );
    expect(plan.conflicts.map((c) => c.key)).toEqual(["254/10.244.2.0/24/0"]);
  });

  it("the same prefix and metric beside netplan-k's own route (ip route prepend): a conflict", () => {
    // The kernel keeps both and looks at the first: the breaker's prepended route took the
    // block while the plan said "No changes".
    const plan = diff(
      desired,
      hostState({
        root: net({
          links: [underlay, ...desired.root.links],
          addresses: desired.root.addresses,
          routes: [foreignRoute("10.244.2.0/24", { via: "192.168.64.99" }), ...desired.root.routes],
        }),
      }),
    );
    expect(plan.conflicts.map((c) => c.key)).toEqual(["254/10.244.2.0/24/0"]);
  });

  it("a route in a table that a rule sends cluster traffic to, before main", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.2.0/25", { table: 100, protocol: "bird" })],
      rules: everyRule(100, 100),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["100/10.244.2.0/25/0"]);
  });

  it("even a less specific route in a table tried before main takes the traffic", () => {
    const plan = planWith({
      routes: [foreignRoute("0.0.0.0/0", { table: "vpn" })],
      rules: everyRule("vpn", 1000),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["vpn/0.0.0.0/0/0"]);
  });
});

describe("foreign routes: never a conflict when they cannot win", () => {
  it("a less specific route in main: the default route, a supernet of the cluster", () => {
    const plan = planWith({
      routes: [
        foreignRoute("0.0.0.0/0", { protocol: 16, metric: 100 }),
        foreignRoute("10.0.0.0/8", { protocol: 0 }),
      ],
    });
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it("the same prefix with a worse metric", () => {
    const plan = planWith({ routes: [foreignRoute("10.244.2.0/24", { metric: 10 })] });
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it("a more specific route in a table no rule sends cluster traffic to", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.2.0/25", { table: 100, protocol: "bird" })],
      rules: everyRule(253, 32767),
    });
    expect(plan.conflicts).toEqual([]);
  });

  it("a table whose rule selects other traffic, or comes after main", () => {
    const rules: RoutingRule[] = [
      { priority: 0, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 255 },
      { priority: 100, from: "0.0.0.0/0", to: "198.51.100.0/24", selective: false, table: 100 },
      { priority: 200, from: "192.0.2.5/32", to: "0.0.0.0/0", selective: false, table: 101 },
      { priority: 32766, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 254 },
      { priority: 32767, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 102 },
    ];
    const plan = planWith({
      routes: [100, 101, 102].map((table) => foreignRoute("10.244.2.0/25", { table })),
      rules,
    });
    expect(plan.conflicts).toEqual([]);
  });

  it("wg-quick: main with suppress_prefixlength 0 before its fwmark table", () => {
    const rules: RoutingRule[] = [
      { priority: 0, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 255 },
      { priority: 32764, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 254 },
      { priority: 32765, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: true, table: 51820 },
      { priority: 32766, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 254 },
    ];
    const plan = planWith({ routes: [foreignRoute("0.0.0.0/0", { table: 51820 })], rules });
    expect(plan.conflicts).toEqual([]);
  });

  it("a route outside the cluster, whatever its protocol or table name", () => {
    const plan = planWith({
      routes: [
        foreignRoute("198.51.100.0/24", { protocol: "unspec" }),
        foreignRoute("203.0.113.0/24", { table: "vpn", protocol: "zebra" }),
      ],
      rules: everyRule("vpn", 1000),
    });
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual([]);
  });
});

describe("foreign addresses", () => {
  it("an address inside a block the host routes is a conflict naming what it takes", () => {
    const plan = planWith({ addresses: [{ dev: "docker0", cidr: "10.244.1.1/24" }] });
    expect(conflictReasons(plan)).toEqual([
      "address 10.244.1.1/24 on docker0 is not netplan-k's and takes 10.244.1.0/24 " +
        "(address 10.244.1.1/24 on cni0): packets for it would stay on docker0; " +
        "remove it (ip address del 10.244.1.1/24 dev docker0) or change the topology",
    ]);
    expect(plan.changes).toEqual([]);
  });

  it("an address on a smaller network names the part of the block it takes, not the block", () => {
    const plan = planWith({ addresses: [{ dev: "docker0", cidr: "10.244.1.77/26" }] });
    expect(conflictReasons(plan)).toEqual([
      "address 10.244.1.77/26 on docker0 is not netplan-k's and takes 10.244.1.64/26 of " +
        "10.244.1.0/24 (address 10.244.1.1/24 on cni0): packets for it would stay on docker0; " +
        "remove it (ip address del 10.244.1.77/26 dev docker0) or change the topology",
    ]);
  });

  it("a less specific route tried first names the block it takes, not its own prefix", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.0.0/16", { table: 100 })],
      rules: everyRule(100, 100),
    });
    expect(conflictReasons(plan)[0]).toContain(
      "route 10.244.0.0/16 via 192.168.64.99 dev eth0 proto static table 100 is not " +
        "netplan-k's and takes 10.244.2.0/24 (route 10.244.2.0/24 via 192.168.64.6 dev eth0)",
    );
  });

  it("an address inside a peer's block is a conflict too", () => {
    const plan = planWith({ addresses: [{ dev: "docker0", cidr: "10.244.2.7/16" }] });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["docker0/10.244.2.7/16"]);
  });

  it("docker0 on its own range and a DHCP address are not", () => {
    const plan = planWith({
      addresses: [
        { dev: "docker0", cidr: "172.17.0.1/16" },
        { dev: "eth0", cidr: "192.168.64.77/24" },
      ],
    });
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual([]);
  });
});

describe("mode bgp: the peers' blocks BIRD installs are routed here too", () => {
  // The host's own block as a blackhole (what bgp writes); the peer's block is learned.
  const bgpDesired = hostState({
    root: net({ routes: [route("10.244.1.0/24", { type: "blackhole", metric: 1024 })] }),
  });
  const learned = route("10.244.2.0/24", {
    via: "192.168.64.6",
    dev: "eth0",
    metric: 32,
    protocol: 12,
  });
  const planBgp = (foreign: Route[]) =>
    diffHost({
      topology: "demo",
      clusterCidr: "10.244.0.0/16",
      desired: bgpDesired,
      observed: hostState({
        root: net({ links: [underlay], routes: [...bgpDesired.root.routes, learned, ...foreign] }),
      }),
      learned: [learned],
    });

  it("the route BIRD installed is no conflict, and nothing is planned for it", () => {
    const plan = planBgp([]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it("a foreign route more specific than a learned block, or as specific with a better metric, is", () => {
    const plan = planBgp([
      foreignRoute("10.244.2.0/25"),
      foreignRoute("10.244.2.0/24", { metric: 10 }),
    ]);
    expect(plan.conflicts.map((conflict) => conflict.key)).toEqual([
      "254/10.244.2.0/24/10",
      "254/10.244.2.0/25/0",
    ]);
    expect(plan.conflicts[0]?.reason).toContain(
      "takes 10.244.2.0/24 (route 10.244.2.0/24 via 192.168.64.6 dev eth0 proto bird metric 32)",
    );
  });

  it("a foreign route for a learned block with a worse metric is not", () => {
    expect(planBgp([foreignRoute("10.244.2.0/24", { metric: 100 })]).conflicts).toEqual([]);
  });

  it("compile says which routes BIRD installs: every peer's block via the peer's underlay", () => {
    const topology = loadTopologyText(
      [
        "apiVersion: netplan-k/v1",
        "name: demo",
        "cluster: { cidr: 10.244.0.0/16, mode: bgp }",
        "hosts:",
        "  - { name: a, address: 192.168.64.5/24, podCidr: 10.244.1.0/24 }",
        "  - { name: b, address: 192.168.64.6/24, podCidr: 10.244.2.0/24 }",
      ].join("\n"),
      "demo.yaml",
      modes,
    );
    if (!topology.ok) throw new Error("the topology must load");
    const [a] = compileTopology(topology.topology).hosts;
    expect(a?.learned).toEqual([{ ...learned, scope: "global", type: "unicast" }]);
  });
});

describe("routes that take no packet", () => {
  it("a throw route in a table a rule sends cluster traffic to is no conflict", () => {
    const plan = planWith({
      routes: [route("10.244.0.0/16", { type: "throw", table: 100, protocol: 3, dev: undefined })],
      rules: everyRule(100, 100),
    });
    expect(plan.conflicts).toEqual([]);
  });
});
