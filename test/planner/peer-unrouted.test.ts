import { describe, expect, it } from "vitest";
import type { Route, RoutingRule } from "../../src/model/index.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import { diffHost } from "../../src/planner/diff-host.js";
import { findUnderlayConflicts } from "../../src/planner/underlay-conflicts.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { rulesWith } from "./foreign-host.js";
import { CLUSTER_CIDR, TOPOLOGY, hostState, link, net, route, underlay } from "./states.js";

// A host 192.0.2.5/24 on eth0 recorded in a namespace (test/fixtures/kernel/truth-faults):
// `ip route del 192.0.2.0/24 dev eth0`, the underlay's connected route gone; the kernel's
// local route of 192.0.2.5 is still there. The same host with its connected route and main's
// rule narrowed to `iif lo` is kernel/underlay-faults.
const noSubnet = parseIpRoutes(readJsonFixture("kernel/truth-faults/route-no-subnet.json"));
const withSubnet = parseIpRoutes(readJsonFixture("kernel/underlay-faults/route.json"));
const narrowed = parseIpRules(readJsonFixture("kernel/underlay-faults/rule.json"));

const UNDERLAY = { interface: "eth0", address: "192.0.2.5", prefix: 24 } as const;
const vtep = (dst: string) => ({ mac: "0e:00:00:00:00:02", dev: "flannel.1", dst });

const conflictsFor = (routes: readonly Route[], peer: string, rules = rulesWith()) =>
  findUnderlayConflicts({
    underlay: UNDERLAY,
    clusterCidr: CLUSTER_CIDR,
    desiredRoutes: [],
    desiredFdb: [vtep(peer)],
    learned: [],
    routes,
    neighbours: [],
    rules,
    peerMacs: new Map(),
  });

describe("no route at all to a peer's underlay address", () => {
  it("the underlay lost its subnet's route: the VTEP's destination is a conflict", () => {
    expect(conflictsFor(noSubnet, "192.0.2.6")).toEqual([
      {
        kind: "route",
        key: "no route to 192.0.2.6",
        reason:
          "no route to peer 192.0.2.6 (VTEP of fdb 0e:00:00:00:00:02 dst 192.0.2.6 on " +
          "flannel.1): no table a rule looks up holds a route to it, so its packets cannot " +
          "leave; add one (ip route add 192.0.2.6 via <gateway> dev eth0, or the connected " +
          "route of eth0's subnet) or change the topology",
      },
    ]);
  });

  it("a route only in a table no rule looks up is no route either", () => {
    const inDaemonTable = route("192.0.2.0/24", { dev: "eth0", table: 100, protocol: 12 });
    expect(conflictsFor([...noSubnet, inDaemonTable], "192.0.2.6").map((c) => c.key)).toEqual([
      "no route to 192.0.2.6",
    ]);
  });

  it("no false alarm: the connected route, a DHCP default route to another subnet's peer", () => {
    expect(conflictsFor(withSubnet, "192.0.2.6")).toEqual([]);
    const dhcpDefault = route("0.0.0.0/0", { via: "192.0.2.1", dev: "eth0", protocol: 16 });
    expect(conflictsFor([...withSubnet, dhcpDefault], "198.51.100.7")).toEqual([]);
  });

  it("not judged on a snapshot written without the kernel's routes (no local route)", () => {
    expect(conflictsFor([], "192.0.2.6")).toEqual([]);
    const written = route("10.244.2.0/24", { via: "192.0.2.6", dev: "eth0" });
    expect(conflictsFor([written], "192.0.2.6")).toEqual([]);
  });
});

describe("main's rule 32766 narrowed or deleted is reported once, by the rule walk", () => {
  const desired = hostState({
    root: net({
      links: [link("cni0", { kind: "bridge" })],
      addresses: [{ dev: "cni0", cidr: "10.244.1.1/24" }],
      routes: [route("10.244.2.0/24", { via: "192.0.2.6", dev: "eth0" })],
    }),
  });
  const planWith = (rules: RoutingRule[]) =>
    diffHost({
      topology: TOPOLOGY,
      clusterCidr: CLUSTER_CIDR,
      desired,
      observed: hostState({
        root: net({
          links: [underlay, ...desired.root.links],
          addresses: desired.root.addresses,
          routes: [...withSubnet, ...desired.root.routes],
        }),
        rules,
      }),
      underlay: UNDERLAY,
    });

  it("narrowed to iif lo: one conflict, the rule walk's", () => {
    const rules = [...narrowed.filter((r) => r.action === undefined)];
    expect(planWith(rules).conflicts.map((c) => c.key)).toEqual(["no rule looks up table main"]);
  });

  it("deleted: one conflict, not also a 'no route to' the peer", () => {
    const rules = rulesWith().filter((r) => r.priority !== 32766);
    expect(planWith(rules).conflicts.map((c) => c.key)).toEqual(["no rule looks up table main"]);
  });
});
