import { describe, expect, it } from "vitest";
import type { DesiredState, HostState, ObservedHost } from "../../src/model/index.js";
import { parseIpAddresses } from "../../src/observe/parse-ip-addresses.js";
import { parseIpLinks } from "../../src/observe/parse-ip-links.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import { parseManagementPath } from "../../src/observe/parse-management-path.js";
import { parseSnapshot, renderSnapshot } from "../../src/observe/snapshot.js";
import { makeChange } from "../../src/planner/make-change.js";
import { findManagementPathConflicts } from "../../src/planner/management-path.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { readFixture, readJsonFixture } from "../observe/fixtures.js";
import { hostState, link, net, route, TOPOLOGY } from "./states.js";

// A host 192.0.2.11/24 on eth0 with `default via 192.0.2.254`, recorded in a namespace
// (test/fixtures/kernel/management-path): `ip -j route get` towards a client on the
// connected subnet (192.0.2.254) and towards one behind the default route (10.1.200.9).
const dir = "kernel/management-path";
const observedRoot = net({
  links: parseIpLinks(readJsonFixture(`${dir}/link.json`)),
  addresses: parseIpAddresses(readJsonFixture(`${dir}/addr.json`)),
  routes: parseIpRoutes(readJsonFixture(`${dir}/route.json`)),
});
const viaGateway = parseManagementPath(
  "node-1",
  "10.1.200.9 51022 192.0.2.11 22",
  readFixture(`${dir}/route-get-via-gateway.json`),
);
const direct = parseManagementPath(
  "node-1",
  "192.0.2.254 40188 192.0.2.11 22",
  readFixture(`${dir}/route-get-direct.json`),
);

const observedHost = (managementPath = viaGateway): ObservedHost => ({
  host: "node-1",
  state: hostState({ root: observedRoot }),
  facts: { drivers: {}, iproute2: "iproute2-6.1.0", kernel: "6.18.44" },
  managementPath,
});
const desiredOf = (state: HostState): DesiredState => ({
  topology: TOPOLOGY,
  clusterCidr: "10.1.0.0/16",
  hosts: [{ host: "node-1", state }],
});
const peerRoute = (dst: string) => route(dst, { via: "192.0.2.12", dev: "eth0", onlink: true });
const conflictsOf = (state: HostState, observed = observedHost(), allow = false) =>
  planTopology({
    desired: desiredOf(state),
    observed: [observed],
    against: "hosts",
    allowManagementChange: allow,
  }).hosts.flatMap((host) => host.conflicts);

describe("the management path as observed", () => {
  it("reads SSH_CONNECTION and ip -j route get", () => {
    expect(viaGateway).toEqual({
      clientAddress: "10.1.200.9",
      clientPort: 51022,
      serverAddress: "192.0.2.11",
      serverPort: 22,
      dev: "eth0",
      src: "192.0.2.11",
      gateway: "192.0.2.254",
    });
    expect(direct.gateway).toBeUndefined();
  });

  it("refuses a malformed SSH_CONNECTION, naming the host", () => {
    expect(() => parseManagementPath("node-1", "10.1.200.9", "[]")).toThrow(
      /^node-1: SSH_CONNECTION should be/,
    );
    expect(() => parseManagementPath("node-1", "10.1.200.9 1 192.0.2.11 22", "garbage")).toThrow(
      /^node-1: /,
    );
  });

  it("keeps it through a snapshot, and old snapshots without it still load", () => {
    const snapshot = { formatVersion: 1 as const, topology: TOPOLOGY, hosts: [observedHost()] };
    const read = parseSnapshot(renderSnapshot(snapshot), "state.json");
    expect(read.hosts[0]?.managementPath).toEqual(viaGateway);
    const { managementPath: _, ...old } = observedHost();
    const oldSnapshot = { ...snapshot, hosts: [old] };
    expect(parseSnapshot(renderSnapshot(oldSnapshot), "state.json").hosts[0]).not.toHaveProperty(
      "managementPath",
    );
  });
});

describe("the management-path guard", () => {
  it("refuses a peer's block that covers the client: longer than the default route it takes", () => {
    const conflicts = conflictsOf(
      hostState({ root: net({ routes: [peerRoute("10.1.200.0/24")] }) }),
    );
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.reason).toBe(
      "adding route 10.1.200.0/24 via 192.0.2.12 dev eth0 onlink (it covers 10.1.200.9; " +
        "the session takes route 0.0.0.0/0 via 192.0.2.254 dev eth0 proto boot now) would take " +
        "the path of the SSH session to node-1 (from 10.1.200.9 via eth0 and 192.0.2.254); " +
        "pass --allow-management-change to do it anyway",
    );
  });

  it("refuses a block of this host (its bridge address) that covers the client", () => {
    const state = hostState({
      root: net({
        links: [link("cni0", { kind: "bridge" })],
        addresses: [{ dev: "cni0", cidr: "10.1.200.1/24" }],
      }),
    });
    expect(conflictsOf(state).map((c) => c.reason)).toEqual([
      expect.stringMatching(
        /^adding address 10.1.200.1\/24 dev cni0 \(its connected route 10.1.200.0\/24 covers 10.1.200.9;/,
      ),
    ]);
  });

  it("plans them with --allow-management-change", () => {
    const state = hostState({ root: net({ routes: [peerRoute("10.1.200.0/24")] }) });
    expect(conflictsOf(state, observedHost(), true)).toEqual([]);
  });

  it("lets routes and blocks that do not cover the client through", () => {
    const state = hostState({
      root: net({
        links: [link("cni0", { kind: "bridge" })],
        addresses: [{ dev: "cni0", cidr: "10.1.5.1/24" }],
        routes: [peerRoute("10.1.6.0/24")],
      }),
    });
    expect(conflictsOf(state)).toEqual([]);
  });

  it("judges a client on the connected subnet by that subnet's /24", () => {
    expect(
      conflictsOf(
        hostState({ root: net({ routes: [peerRoute("192.0.2.128/25")] }) }),
        observedHost(direct),
      ).map((c) => c.key),
    ).toEqual(["254/192.0.2.128/25/0"]);
    // A /16 is less specific than the /24 the session takes: the kernel keeps the /24.
    expect(
      conflictsOf(
        hostState({ root: net({ routes: [peerRoute("192.0.0.0/16")] }) }),
        observedHost(direct),
      ),
    ).toEqual([]);
  });

  it("is not judged without a session (local and netns transports)", () => {
    const { managementPath: _, ...local } = observedHost();
    const state = hostState({ root: net({ routes: [peerRoute("10.1.200.0/24")] }) });
    expect(
      planTopology({ desired: desiredOf(state), observed: [local], against: "hosts" }).hosts[0]
        ?.conflicts,
    ).toEqual([]);
  });

  it("refuses removing the server address and taking down or recreating the session's device", () => {
    const eth0 = { name: "eth0", kind: "veth", mtu: 1500, up: true };
    const changes = [
      makeChange({
        kind: "address",
        action: "delete",
        netns: undefined,
        key: "eth0/192.0.2.11/24",
        before: { dev: "eth0", cidr: "192.0.2.11/24" },
        reason: "",
        disruptive: true,
      }),
      makeChange({
        kind: "link",
        action: "update",
        netns: undefined,
        key: "eth0",
        before: eth0,
        after: { ...eth0, up: false },
        reason: "",
        disruptive: true,
      }),
      makeChange({
        kind: "link",
        action: "update",
        netns: undefined,
        key: "eth0",
        before: eth0,
        after: { ...eth0, mtu: 1400 },
        reason: "",
        disruptive: false,
      }),
      makeChange({
        kind: "link",
        action: "replace",
        netns: undefined,
        key: "eth0",
        before: eth0,
        after: eth0,
        reason: "",
        disruptive: true,
      }),
      // The same device in a workload namespace is not the session's.
      makeChange({
        kind: "link",
        action: "delete",
        netns: "red",
        key: "eth0",
        before: eth0,
        reason: "",
        disruptive: true,
      }),
    ];
    expect(
      findManagementPathConflicts("node-1", viaGateway, observedRoot, undefined, changes).map(
        (c) => c.reason.split(" would take ")[0],
      ),
    ).toEqual([
      "removing address 192.0.2.11/24 dev eth0 (the address the session arrives at)",
      "setting link eth0 down (the session's device)",
      "changing the MTU of link eth0 (1500 → 1400) (the session's device)",
      "recreating link eth0 (the session's device)",
    ]);
  });

  it("refuses removing the route the session takes", () => {
    const current = observedRoot.routes.find((r) => r.dst === "0.0.0.0/0");
    expect(current).toBeDefined();
    const removal = makeChange({
      kind: "route",
      action: "delete",
      netns: undefined,
      key: "254/0.0.0.0/0/0",
      ...(current !== undefined && { before: current }),
      reason: "",
      disruptive: true,
    });
    expect(
      findManagementPathConflicts("node-1", viaGateway, observedRoot, undefined, [removal]).map(
        (c) => c.key,
      ),
    ).toEqual(["254/0.0.0.0/0/0"]);
  });
});

// The same host whose sessions a policy rule routes: `ip rule add from 192.0.2.11 lookup 100
// pref 100` and `default via 192.0.2.253 dev eth0 table 100`, main keeping `default via
// 192.0.2.254` (test/fixtures/kernel/management-path-policy, recorded in a namespace).
const policyDir = "kernel/management-path-policy";
const policyRoot = net({
  links: parseIpLinks(readJsonFixture(`${policyDir}/link.json`)),
  addresses: parseIpAddresses(readJsonFixture(`${policyDir}/addr.json`)),
  routes: parseIpRoutes(readJsonFixture(`${policyDir}/route.json`)),
});
const policyRules = parseIpRules(readJsonFixture(`${policyDir}/rule.json`));
const policyPath = parseManagementPath(
  "node-1",
  "10.1.200.9 51022 192.0.2.11 22",
  readFixture(`${policyDir}/route-get-from-server.json`),
);
const policyHost: ObservedHost = {
  ...observedHost(policyPath),
  state: hostState({ root: policyRoot, rules: policyRules }),
};
const routeChange = (action: "create" | "delete", r: ReturnType<typeof route>) =>
  makeChange({
    kind: "route",
    action,
    netns: undefined,
    key: `${r.table}/${r.dst}/${r.metric}`,
    ...(action === "create" ? { after: r } : { before: r }),
    reason: "",
    disruptive: action === "delete",
  });

describe("the management-path guard on a session routed by a policy rule", () => {
  it("reads the path of table 100 from ip route get … from <server>", () => {
    expect(policyPath).toEqual({
      clientAddress: "10.1.200.9",
      clientPort: 51022,
      serverAddress: "192.0.2.11",
      serverPort: 22,
      dev: "eth0",
      src: "192.0.2.11",
      gateway: "192.0.2.253",
    });
  });

  it("lets a route of main covering the client through: the rule sends the session to table 100", () => {
    const state = hostState({ root: net({ routes: [peerRoute("10.1.200.0/24")] }) });
    expect(conflictsOf(state, policyHost)).toEqual([]);
  });

  it("refuses a route of table 100 covering the client, and removing table 100's default", () => {
    const inTable100 = route("10.1.200.0/24", { via: "192.0.2.12", dev: "eth0", table: 100 });
    const current = policyRoot.routes.find((r) => r.table === 100 && r.dst === "0.0.0.0/0");
    expect(current).toBeDefined();
    const conflicts = findManagementPathConflicts("node-1", policyPath, policyRoot, policyRules, [
      routeChange("create", inTable100),
      ...(current === undefined ? [] : [routeChange("delete", current)]),
    ]);
    expect(conflicts.map((c) => c.reason.split(" would take ")[0])).toEqual([
      "adding route 10.1.200.0/24 via 192.0.2.12 dev eth0 table 100 (it covers 10.1.200.9; " +
        "the session takes route 0.0.0.0/0 via 192.0.2.253 dev eth0 proto boot table 100 now)",
      "removing route 0.0.0.0/0 via 192.0.2.253 dev eth0 proto boot table 100 (the route it takes now)",
    ]);
  });

  it("lets a route of a table no rule looks up through", () => {
    const inTable200 = route("10.1.200.0/24", { via: "192.0.2.12", dev: "eth0", table: 200 });
    expect(
      findManagementPathConflicts("node-1", policyPath, policyRoot, policyRules, [
        routeChange("create", inTable200),
      ]),
    ).toEqual([]);
  });
});

// The host of kernel/management-path with a management network inside the cluster CIDR:
// 10.1.200.5/24 on eth1, which the session from 10.1.200.9 arrives at
// (test/fixtures/kernel/management-path-in-cluster, recorded in a namespace).
const inClusterDir = "kernel/management-path-in-cluster";
const inClusterPath = parseManagementPath(
  "node-1",
  "10.1.200.9 51022 10.1.200.5 22",
  readFixture(`${inClusterDir}/route-get-from-server.json`),
);
const inClusterHost: ObservedHost = {
  ...observedHost(inClusterPath),
  state: hostState({
    root: net({
      links: parseIpLinks(readJsonFixture(`${inClusterDir}/link.json`)),
      addresses: parseIpAddresses(readJsonFixture(`${inClusterDir}/addr.json`)),
      routes: parseIpRoutes(readJsonFixture(`${inClusterDir}/route.json`)),
    }),
  }),
};

describe("a management session arriving at an address inside the cluster CIDR", () => {
  // A peer's block 10.1.200.0/24 holds the session's address 10.1.200.5.
  const state = hostState({ root: net({ routes: [peerRoute("10.1.200.0/24")] }) });
  const named = (route = "") =>
    "the management address of node-1, address 10.1.200.5/24 on eth1 (the SSH session from " +
    `10.1.200.9 arrives at it), lies in the cluster CIDR 10.1.0.0/16${route}: packets for the ` +
    "block there would stay on eth1, and removing the address would cut the session; give " +
    "cluster.cidr a range that does not cover 10.1.200.5, or reach node-1 over an address " +
    "outside 10.1.0.0/16 first";
  const ownRoute = ", and route 10.1.200.0/24 dev eth1 scope link proto kernel is its route";

  it("names the address the management address, and never hints to remove it", () => {
    const reasons = conflictsOf(state, inClusterHost).map((c) => c.reason);
    // The address's conflict, and the keyed conflict of its route (the peer's route has its
    // key): the peer's route is refused, not planned, so the guard has no change to judge.
    expect(reasons).toEqual([named(), named(ownRoute)]);
    expect(reasons.join("\n")).not.toMatch(/ip address del|remove it/);
  });

  it("still names it so with --allow-management-change, which does not remove addresses", () => {
    expect(conflictsOf(state, inClusterHost, true).map((c) => c.reason)).toEqual([
      named(),
      named(ownRoute),
    ]);
  });

  it("keeps the foreign-address conflict of an address no session arrives at", () => {
    const { managementPath: _, ...unguarded } = inClusterHost;
    expect(conflictsOf(state, unguarded).map((c) => c.reason)).toEqual([
      expect.stringMatching(
        /^address 10\.1\.200\.5\/24 on eth1 is not netplan-k's .*ip address del/,
      ),
      expect.stringMatching(/^route 10\.1\.200\.0\/24 exists with proto kernel .*; remove it/),
    ]);
  });
});
