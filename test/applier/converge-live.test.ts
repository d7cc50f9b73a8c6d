import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlanPhased, type ConvergeResult } from "../../src/applier/index.js";
import { emptyHostState, ownerAlias, type HostState } from "../../src/model/index.js";
import { compileTopology, hostVethName, vtepName } from "../../src/modes/index.js";
import { observeHost, OBSERVATION_SCRIPT, parseObservation } from "../../src/observe/index.js";
import { planTopology } from "../../src/planner/index.js";
import { labDown, labUp, type LabSpec } from "../../src/lab/index.js";
import type { Host, Topology } from "../../src/topology/topology.js";
import { createNetnsTransport, type Transport } from "../../src/transport/index.js";

// Real kernels: two lab hosts (namespaces with their own /run, so workload namespaces live
// inside them) on one segment, built by src/lab, converged through the netns transport.
const prefix = "nkfx-ap";
const options = { stateDir: "/run/nkfx-ap-state", mntnsDir: "/run/nkfx-ap-mntns" };
const spec: LabSpec = { prefix, sshd: false, routers: [], guests: [] };
const TOPOLOGY = "ap-live";
const ALIAS = ownerAlias(TOPOLOGY);

const host = (
  name: string,
  address: string,
  block: string,
  workloads: [string, string][],
): Host => ({
  name,
  interface: "eth0",
  v4: {
    underlayIp: address,
    underlaySubnet: "192.0.2.0/24",
    underlayPrefix: 24,
    podCidr: block,
    podCidrAllocated: false,
  },
  transport: { kind: "netns", name: `${prefix}-${name}` },
  workloads: workloads.map(([workload, ip]) => ({
    name: workload,
    ipV4: ip,
    ipV4Allocated: false,
  })),
});

interface Variant {
  readonly mode: Topology["cluster"]["mode"];
  readonly attach: Topology["cluster"]["attach"];
  readonly mtu?: number;
  readonly vni?: number;
  readonly asn?: number;
  readonly workloadsOfA?: [string, string][];
}

const topology = (variant: Variant): Topology => ({
  name: TOPOLOGY,
  source: "converge-live.test.ts",
  cluster: {
    v4: { cidr: "10.244.0.0/16", hostPrefix: 24 },
    mode: variant.mode,
    attach: variant.attach,
    mtu: variant.mtu ?? 1500,
    vxlan: { vni: variant.vni ?? 1, port: 8472, directRouting: false },
    ipip: { crossSubnet: false },
    bgp: { asn: variant.asn ?? 64512, reflectors: [] },
  },
  hosts: [
    host(
      "a",
      "192.0.2.11",
      "10.244.1.0/24",
      variant.workloadsOfA ?? [
        ["red", "10.244.1.2"],
        ["blue", "10.244.1.3"],
      ],
    ),
    host("b", "192.0.2.12", "10.244.2.0/24", [["web", "10.244.2.2"]]),
  ],
});

const desiredOf = (variant: Variant, name: "a" | "b"): HostState => {
  const state = compileTopology(topology(variant)).hosts.find((h) => h.host === name)?.state;
  if (state === undefined) throw new Error(`no host ${name}`);
  return state;
};

const transports: Record<"a" | "b", Transport> = {
  a: createNetnsTransport("a", `${prefix}-a`, { mountNamespaceDir: options.mntnsDir }),
  b: createNetnsTransport("b", `${prefix}-b`, { mountNamespaceDir: options.mntnsDir }),
};

interface Target {
  readonly name: "a" | "b";
  readonly desired: HostState;
  /** Peer blocks BGP must have learned (one session each). */
  readonly bgpBlocks?: string[];
}

/** What apply does: observe the hosts, plan, then the phased apply across them. */
async function convergeAll(targets: readonly Target[]): Promise<ConvergeResult[]> {
  const observed = await Promise.all(targets.map((t) => observeHost(transports[t.name])));
  const plan = planTopology({
    desired: {
      topology: TOPOLOGY,
      clusterCidr: "10.244.0.0/16",
      hosts: targets.map((t) => ({ host: t.name, state: t.desired })),
    },
    observed,
    against: "hosts",
  });
  return applyPlanPhased({
    topology: TOPOLOGY,
    clusterCidr: "10.244.0.0/16",
    parallelism: 2,
    bgpTimeoutMs: 20_000,
    hosts: targets.map((t, i) => {
      const hostPlan = plan.hosts[i];
      if (hostPlan === undefined) throw new Error(`no plan for ${t.name}`);
      return {
        transport: transports[t.name],
        desired: t.desired,
        plan: hostPlan,
        ...(observed[i] !== undefined && { observed: observed[i] }),
        ...(t.bgpBlocks !== undefined && { bgp: { sessions: 1, blocks: t.bgpBlocks } }),
      };
    }),
  });
}

async function converge(name: "a" | "b", desired: HostState): Promise<ConvergeResult> {
  const [result] = await convergeAll([{ name, desired }]);
  if (result === undefined) throw new Error(`no result for ${name}`);
  return result;
}

async function run(name: "a" | "b", argv: string[]): Promise<string> {
  const result = await transports[name].run(argv);
  if (result.exitCode !== 0) {
    throw new Error(`${argv.join(" ")} failed (${result.exitCode}): ${result.stderr}`);
  }
  return result.stdout;
}

const observe = async (name: "a" | "b") =>
  parseObservation(
    name,
    (await transports[name].run(["sh", "-s"], { stdin: OBSERVATION_SCRIPT })).stdout,
  );

/**
 * Round trips: observe, then build with the verification riding it (2) for a plan that only
 * creates; observe, removals, verify (3) for one that only deletes; 4 with both.
 */
const expectConverged = (result: ConvergeResult, roundTrips: 2 | 3 | 4): void => {
  expect(result.errors).toEqual([]);
  expect(result.outcome).toBe("converged");
  expect(result.roundTrips).toBe(roundTrips);
};

const expectUnchanged = (result: ConvergeResult): void => {
  expect(result.errors).toEqual([]);
  expect(result.outcome).toBe("unchanged");
  expect(result.roundTrips).toBe(1);
  expect(result.applied).toEqual([]);
};

const ping = (name: "a" | "b", netns: string, to: string) =>
  run(name, ["ip", "netns", "exec", netns, "ping", "-c", "1", "-W", "2", to]);

/** Foreign objects seeded on host a; byte-identical raw `ip -j` output is the test. */
async function foreignSnapshot(): Promise<string> {
  return [
    await run("a", ["ip", "-4", "-j", "route", "show", "table", "all"]),
    await run("a", ["ip", "-j", "link", "show", "dev", "br-foreign"]),
    await run("a", ["ip", "-j", "addr", "show", "dev", "br-foreign"]),
    await run("a", ["ip", "-n", "foreign", "-j", "-d", "link", "show"]),
    await run("a", ["ip", "-n", "foreign", "-j", "addr", "show"]),
  ].join("\n");
}

const birdConfBefore = existsSync("/etc/bird/bird.conf")
  ? readFileSync("/etc/bird/bird.conf", "utf8")
  : undefined;

describe("applyPlanPhased on lab hosts", () => {
  let foreignBefore = "";

  beforeAll(async () => {
    await labDown(prefix, options);
    await labUp(topology({ mode: "vxlan", attach: "bridge" }), spec, options);
    // BIRD's file is written to /etc/bird: each lab host must have its own, or the test would
    // overwrite this machine's.
    for (const name of ["a", "b"] as const) {
      const mounts = await run(name, ["cat", "/proc/self/mountinfo"]);
      if (!mounts.split("\n").some((line) => line.split(" ")[4] === "/etc/bird")) {
        throw new Error(`lab host ${name} has no /etc/bird of its own; refusing to run BIRD tests`);
      }
    }
    // Foreign objects: a route outside the cluster CIDR, a bridge, a namespace.
    await run("a", ["ip", "link", "add", "br-foreign", "type", "bridge"]);
    await run("a", ["ip", "addr", "add", "198.51.100.1/24", "dev", "br-foreign"]);
    await run("a", ["ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.254", "dev", "eth0"]);
    await run("a", ["ip", "netns", "add", "foreign"]);
    await run("a", ["ip", "-n", "foreign", "link", "set", "lo", "up"]);
    foreignBefore = await foreignSnapshot();
  }, 30_000);

  afterAll(async () => {
    await labDown(prefix, options);
  }, 30_000);

  it("converges a vxlan bridge host in two round trips, then in one", async () => {
    const desired = desiredOf({ mode: "vxlan", attach: "bridge" }, "a");
    const first = await converge("a", desired);
    expectConverged(first, 2);
    expect(first.observed?.state.namespaces.map((ns) => ns.name)).toEqual(["foreign"]);
    expectUnchanged(await converge("a", desired));
    await ping("a", "red", "10.244.1.3");
    const observed = await observe("a");
    expect(observed.state.root.links.find((l) => l.name === "flannel.1")).toMatchObject({
      kind: "vxlan",
      mtu: 1450,
      alias: ALIAS,
      vxlan: { id: 1, local: "192.0.2.11", dev: "eth0", port: 8472, learning: false },
    });

    // Without its last port, a bridge whose MTU was only given at creation re-derives 1500.
    const noWorkloads = desiredOf({ mode: "vxlan", attach: "bridge", workloadsOfA: [] }, "a");
    // Only deletes: observe, removals, verify.
    const removed = await converge("a", noWorkloads);
    expectConverged(removed, 3);
    expect(removed.applied.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual([
      `delete link ${hostVethName(TOPOLOGY, "blue")}`,
      `delete link ${hostVethName(TOPOLOGY, "red")}`,
      "delete namespace blue",
      "delete namespace red",
    ]);
    expectUnchanged(await converge("a", noWorkloads));
    const bare = await observe("a");
    expect(bare.state.root.links.find((l) => l.name === "cni0")?.mtu).toBe(1450);
  });

  it("follows a new VNI, a changed set of workloads and a smaller MTU", async () => {
    const variant: Variant = {
      mode: "vxlan",
      attach: "bridge",
      vni: 2,
      mtu: 1400,
      workloadsOfA: [["red", "10.244.1.2"]],
    };
    const desired = desiredOf(variant, "a");
    const result = await converge("a", desired);
    expectConverged(result, 4);
    expect(result.applied.map((c) => `${c.action} ${c.kind} ${c.netns ?? ""}${c.key}`)).toEqual(
      expect.arrayContaining([
        "create namespace red",
        `delete link ${vtepName(1)}`,
        `create link ${vtepName(2)}`,
        "update link cni0",
      ]),
    );
    expectUnchanged(await converge("a", desired));
    const observed = await observe("a");
    expect(observed.state.namespaces.map((ns) => ns.name)).toEqual(["foreign", "red"]);
    expect(observed.state.root.links.map((l) => l.name)).not.toContain("flannel.1");
    // With its last-but-one port gone the bridge keeps the MTU it was given.
    expect(observed.state.root.links.find((l) => l.name === "cni0")?.mtu).toBe(1350);
    await ping("a", "red", "10.244.1.1");
  });

  it("converges to a host-gw routed host", async () => {
    const desired = desiredOf({ mode: "host-gw", attach: "routed" }, "a");
    expectConverged(await converge("a", desired), 4);
    expectUnchanged(await converge("a", desired));
    const observed = await observe("a");
    expect(observed.state.root.links.map((l) => l.name)).not.toContain("cni0");
    expect(observed.state.root.routes).toContainEqual({
      dst: "10.244.2.0/24",
      table: 254,
      type: "unicast",
      metric: 0,
      via: "192.0.2.12",
      dev: "eth0",
      onlink: false,
      scope: "global",
      protocol: 77,
    });
    // Routed attach: the workload reaches the host through its permanent gateway neighbour.
    await ping("a", "red", "192.0.2.11");
  });

  it("destroys every owned object and leaves foreign ones byte for byte", async () => {
    expectConverged(await converge("a", emptyHostState()), 3);
    expectUnchanged(await converge("a", emptyHostState()));
    const observed = await observe("a");
    const links = [observed.state.root, ...observed.state.namespaces.map((ns) => ns.net)].flatMap(
      (net) => net.links,
    );
    expect(links.filter((link) => link.alias === ALIAS)).toEqual([]);
    expect(observed.state.namespaces.map((ns) => ns.name)).toEqual(["foreign"]);
    expect(observed.state.root.routes.filter((route) => route.protocol === 77)).toEqual([]);
    expect(await foreignSnapshot()).toBe(foreignBefore);
  });

  it("runs BIRD for mode bgp: sessions up, blocks learned, reload, then stop", async () => {
    const bgp: Variant = { mode: "bgp", attach: "routed" };
    const results = await convergeAll([
      { name: "a", desired: desiredOf(bgp, "a"), bgpBlocks: ["10.244.2.0/24"] },
      { name: "b", desired: desiredOf(bgp, "b"), bgpBlocks: ["10.244.1.0/24"] },
    ]);
    for (const result of results) {
      expect(result.errors).toEqual([]);
      expect(result.outcome).toBe("converged");
      // Observe, build, at least one BGP poll, verify. Nothing to remove: the case before
      // destroyed everything. (A poll may find the sessions up at once; then it is exactly 4.)
      expect(result.roundTrips).toBeGreaterThanOrEqual(4);
    }
    await ping("a", "red", "10.244.2.2");

    // A new AS number changes the file only: BIRD re-reads it (birdc configure).
    const renumbered: Variant = { ...bgp, asn: 64513 };
    const renumberedResults = await convergeAll([
      { name: "a", desired: desiredOf(renumbered, "a"), bgpBlocks: ["10.244.2.0/24"] },
      { name: "b", desired: desiredOf(renumbered, "b"), bgpBlocks: ["10.244.1.0/24"] },
    ]);
    for (const result of renumberedResults) {
      expect(result.errors).toEqual([]);
      expect(result.applied.map((c) => `${c.action} ${c.kind}`)).toEqual(["update file"]);
    }
    expect(await run("a", ["birdc", "show", "protocols", "all", "peer_b"])).toMatch(
      /Local AS:\s+64513/,
    );

    for (const name of ["a", "b"] as const) {
      expectConverged(await converge(name, emptyHostState()), 3);
      const observed = await observe(name);
      expect(observed.state.services).toEqual([]);
      expect(observed.state.files).toEqual([]);
    }
    expect(await foreignSnapshot()).toBe(foreignBefore);
    // The machine's own BIRD configuration was never touched.
    expect(
      existsSync("/etc/bird/bird.conf") ? readFileSync("/etc/bird/bird.conf", "utf8") : undefined,
    ).toBe(birdConfBefore);
  }, 60_000);
});
