import { describe, expect, it } from "vitest";
import type { FdbEntry, Route } from "../../src/model/index.js";
import { parseIpNeighbours } from "../../src/observe/parse-ip-neighbours.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import {
  findUnderlayConflicts,
  type UnderlayConflictInput,
} from "../../src/planner/underlay-conflicts.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { route } from "./states.js";
import { rule, rulesWith } from "./foreign-host.js";

// A host 192.0.2.5/24 on eth0, recorded in a namespace (test/fixtures/kernel/underlay-faults):
// `blackhole 192.0.2.12 proto static`, `unreachable 192.0.2.14`, rule 100 `to 192.0.2.13
// prohibit`, a permanent neighbour 192.0.2.6 lladdr 02:00:00:00:00:99 on eth0, and main's
// rule 32766 narrowed to `iif lo` (put back here, except where a test says so: that fault is
// foreign-rules.test.ts's).
const recordedRoutes = parseIpRoutes(readJsonFixture("kernel/underlay-faults/route.json"));
const recordedRules = parseIpRules(readJsonFixture("kernel/underlay-faults/rule.json"));
const recordedNeighbours = parseIpNeighbours(readJsonFixture("kernel/underlay-faults/neigh.json"));
const rules = [
  ...recordedRules.filter((r) => r.priority !== 32766),
  rule(32766, { table: 254 }),
].sort((a, b) => a.priority - b.priority);

const peerRoute = (peer: string, block: string): Route => route(block, { via: peer, dev: "eth0" });
const vtep = (peer: string): FdbEntry => ({
  mac: "0e:00:00:00:00:02",
  dev: "flannel.1",
  dst: peer,
});
const PEER_MAC = "02:00:00:00:00:06";

/** The recorded host, sending to the peers of `desired`. */
const conflictsFor = (fields: Partial<UnderlayConflictInput>) =>
  findUnderlayConflicts({
    underlay: { interface: "eth0", address: "192.0.2.5", prefix: 24 },
    clusterCidr: "10.244.0.0/16",
    desiredRoutes: [],
    desiredFdb: [],
    learned: [],
    routes: recordedRoutes,
    neighbours: recordedNeighbours,
    rules,
    peerMacs: new Map([["192.0.2.6", PEER_MAC]]),
    ...fields,
  });

describe("a route to a peer's underlay address", () => {
  it("a blackhole route to an ipip tunnel endpoint (a route through tunl0 onlink) takes it", () => {
    const throughTunnel = route("10.244.2.0/24", { via: "192.0.2.12", dev: "tunl0", onlink: true });
    const conflicts = conflictsFor({ desiredRoutes: [throughTunnel] });
    expect(conflicts).toEqual([
      {
        kind: "route",
        key: "254/192.0.2.12/32/0",
        reason:
          "route blackhole 192.0.2.12/32 proto static is not netplan-k's and takes the " +
          "underlay path to peer 192.0.2.12 (next hop of route 10.244.2.0/24 via 192.0.2.12 " +
          "dev tunl0 onlink): packets to it are dropped (blackhole); remove it (ip route del " +
          "blackhole 192.0.2.12/32 table main) or change the topology",
      },
    ]);
  });

  it("no conflict: a host-gw next hop on eth0 is resolved on the device, not looked up", () => {
    // Measured on a host-gw lab: blackhole PEER/32 in main, unreachable PEER/32 in local, PEER
    // sent via another gateway by a rule: every path passes, the route to the block re-adds.
    expect(
      conflictsFor({
        desiredRoutes: [
          peerRoute("192.0.2.12", "10.244.2.0/24"),
          peerRoute("192.0.2.14", "10.244.3.0/24"),
          peerRoute("192.0.2.13", "10.244.4.0/24"),
        ],
      }),
    ).toEqual([]);
    // The same peer also a VTEP (vxlan with directRouting): the VTEP is looked up.
    expect(
      conflictsFor({
        desiredRoutes: [peerRoute("192.0.2.12", "10.244.2.0/24")],
        desiredFdb: [vtep("192.0.2.12")],
      }).map((c) => c.key),
    ).toEqual(["254/192.0.2.12/32/0"]);
  });

  it("an unreachable route to a VTEP (an fdb entry's destination) takes it", () => {
    const conflicts = conflictsFor({ desiredFdb: [vtep("192.0.2.14")] });
    expect(conflicts.map((c) => c.reason)).toEqual([
      expect.stringContaining(
        "takes the underlay path to peer 192.0.2.14 (VTEP of fdb 0e:00:00:00:00:02 dst " +
          "192.0.2.14 on flannel.1)",
      ),
    ]);
  });

  it("a route to the peer through another device takes it", () => {
    const docker = route("192.0.2.16/28", { dev: "docker0", protocol: 4 });
    const conflicts = conflictsFor({
      desiredFdb: [vtep("192.0.2.17")],
      routes: [...recordedRoutes, docker],
    });
    expect(conflicts.map((c) => c.reason)).toEqual([
      expect.stringContaining("packets to it would leave through docker0, not eth0"),
    ]);
  });

  it("no conflict: the connected route, a default route or a /32 through eth0 reach the peer", () => {
    const defaultRoute = route("0.0.0.0/0", { via: "192.0.2.1", dev: "eth0", protocol: 16 });
    const pinned = route("192.0.2.9/32", { dev: "eth0", protocol: 4 });
    expect(
      conflictsFor({
        desiredRoutes: [peerRoute("192.0.2.7", "10.244.2.0/24")],
        desiredFdb: [vtep("192.0.2.9")],
        learned: [peerRoute("203.0.113.9", "10.244.3.0/24")],
        routes: [...recordedRoutes, defaultRoute, pinned],
      }),
    ).toEqual([]);
  });
});

// Lab host node-1 (192.0.2.21/24 on eth0, a vxlan lab) recorded after `ip route add
// 192.0.2.22/32 via 192.0.2.254 dev eth0 table 50` and `ip rule add to 192.0.2.22 table 50
// pref 100` (kernel/truth-faults/route-underlay-gateway-detour.json, rule-…); and after `ip
// route add unreachable 192.0.2.22/32 table local` (route-underlay-local-unreachable.json).
describe("a route that sends a peer on the underlay's own subnet to a gateway", () => {
  const labHost = (routesFixture: string, rulesFixture?: string) =>
    findUnderlayConflicts({
      underlay: { interface: "eth0", address: "192.0.2.21", prefix: 24 },
      clusterCidr: "10.7.0.0/16",
      desiredRoutes: [],
      desiredFdb: [vtep("192.0.2.22")],
      learned: [],
      routes: parseIpRoutes(readJsonFixture(`kernel/truth-faults/${routesFixture}`)),
      neighbours: [],
      rules:
        rulesFixture === undefined
          ? rulesWith()
          : parseIpRules(readJsonFixture(`kernel/truth-faults/${rulesFixture}`)),
      peerMacs: new Map(),
    });

  it("a gateway on the right device, through a rule to table 50, is a conflict", () => {
    expect(
      labHost("route-underlay-gateway-detour.json", "rule-underlay-gateway-detour.json"),
    ).toEqual([
      {
        kind: "route",
        key: "50/192.0.2.22/32/0",
        reason:
          "route 192.0.2.22/32 via 192.0.2.254 dev eth0 proto boot table 50 is not netplan-k's " +
          "and takes the underlay path to peer 192.0.2.22 (VTEP of fdb 0e:00:00:00:00:02 dst " +
          "192.0.2.22 on flannel.1): packets to it would go to gateway 192.0.2.254, though the " +
          "peer is on eth0's own subnet and its connected route hands them to the peer itself; " +
          "remove it (ip route del 192.0.2.22/32 table 50) or change the topology",
      },
    ]);
  });

  it("no false alarm: the same route in a table no rule looks up", () => {
    expect(labHost("route-underlay-gateway-detour.json")).toEqual([]);
  });

  it("an unreachable route to a VTEP in the local table is a conflict (measured: vxlan fails)", () => {
    expect(labHost("route-underlay-local-unreachable.json").map((c) => c.key)).toEqual([
      "255/192.0.2.22/32/0",
    ]);
  });
});

describe("a rule that matches a peer's underlay address", () => {
  it("a prohibit rule to the peer drops the packets to it", () => {
    const conflicts = conflictsFor({ desiredFdb: [vtep("192.0.2.13")] });
    expect(conflicts).toEqual([
      {
        kind: "rule",
        key: "rule 100: to 192.0.2.13/32 prohibit",
        reason:
          "rule 100: to 192.0.2.13/32 prohibit is not netplan-k's and takes the underlay " +
          "path to peer 192.0.2.13 (VTEP of fdb 0e:00:00:00:00:02 dst 192.0.2.13 on " +
          "flannel.1): packets to it are dropped (prohibit); remove it (ip rule del pref " +
          "100) or change the topology",
      },
    ]);
  });

  it("no conflict: a prohibit rule for the cluster's sources only, or another peer", () => {
    const fromPods = rulesWith(
      rule(100, { from: "10.244.0.0/16", action: "prohibit" }),
      rule(101, { to: "192.0.2.99/32", action: "prohibit" }),
    );
    expect(conflictsFor({ desiredFdb: [vtep("192.0.2.13")], rules: fromPods })).toEqual([]);
  });
});

describe("a permanent neighbour entry for a peer on the underlay", () => {
  it("a MAC that is not the peer's observed one is a conflict", () => {
    const conflicts = conflictsFor({ desiredFdb: [vtep("192.0.2.6")] });
    expect(conflicts).toEqual([
      {
        kind: "neighbour",
        key: "eth0/192.0.2.6",
        reason:
          "neighbour 192.0.2.6 on eth0 lladdr 02:00:00:00:00:99 permanent is not netplan-k's " +
          "and takes the underlay path to peer 192.0.2.6 (VTEP of fdb 0e:00:00:00:00:02 dst " +
          "192.0.2.6 on flannel.1): 192.0.2.6 is 02:00:00:00:00:06 on eth0, and the kernel " +
          "never re-resolves a permanent entry; remove it (ip neigh del 192.0.2.6 dev eth0) " +
          "or change the topology",
      },
    ]);
  });

  it("no conflict: the peer's own MAC, or a peer whose MAC was not observed", () => {
    const right = [{ dev: "eth0", dst: "192.0.2.6", lladdr: PEER_MAC, permanent: true }];
    expect(conflictsFor({ desiredFdb: [vtep("192.0.2.6")], neighbours: right })).toEqual([]);
    expect(conflictsFor({ desiredFdb: [vtep("192.0.2.6")], peerMacs: new Map() })).toEqual([]);
  });
});

// Recorded on lab host node-1 of a vxlan lab (test/fixtures/kernel/truth-faults): `ip neigh
// replace 192.0.2.92 lladdr 02:00:00:00:00:99 nud noarp dev eth0` and `… 192.0.2.93 lladdr
// 02:00:00:00:00:98 nud reachable dev eth0`, listed with `ip -j neigh show nud all`.
describe("a noarp neighbour entry for a peer on the underlay", () => {
  const nudAll = parseIpNeighbours(readJsonFixture("kernel/truth-faults/neigh-nud-all.json"));
  const lab = {
    underlay: { interface: "eth0", address: "192.0.2.91", prefix: 24 },
    routes: [route("192.0.2.0/24", { dev: "eth0", protocol: 2, scope: "link" as const })],
    neighbours: nudAll,
    peerMacs: new Map([
      ["192.0.2.92", "f2:0f:9a:ee:d2:9c"],
      ["192.0.2.93", "f2:0f:9a:ee:d2:9d"],
    ]),
  };

  it("is read with ip neigh show nud all, and is a conflict like a permanent one", () => {
    expect(nudAll.filter((n) => n.dev === "eth0")).toEqual([
      { dev: "eth0", dst: "192.0.2.93", lladdr: "02:00:00:00:00:98", permanent: false },
      {
        dev: "eth0",
        dst: "192.0.2.92",
        lladdr: "02:00:00:00:00:99",
        permanent: false,
        noarp: true,
      },
    ]);
    expect(conflictsFor({ ...lab, desiredFdb: [vtep("192.0.2.92")] })).toEqual([
      {
        kind: "neighbour",
        key: "eth0/192.0.2.92",
        reason:
          "neighbour 192.0.2.92 on eth0 lladdr 02:00:00:00:00:99 noarp is not netplan-k's and " +
          "takes the underlay path to peer 192.0.2.92 (VTEP of fdb 0e:00:00:00:00:02 dst " +
          "192.0.2.92 on flannel.1): 192.0.2.92 is f2:0f:9a:ee:d2:9c on eth0, and the kernel " +
          "never re-resolves a noarp entry; remove it (ip neigh del 192.0.2.92 dev eth0) or " +
          "change the topology",
      },
    ]);
  });

  it("no conflict: a reachable entry with a wrong MAC (measured: re-probed, it heals)", () => {
    expect(conflictsFor({ ...lab, desiredFdb: [vtep("192.0.2.93")] })).toEqual([]);
  });
});
