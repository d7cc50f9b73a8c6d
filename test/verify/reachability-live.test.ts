import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUp, type LabSpec } from "../../src/lab/index.js";
import { createNetnsTransport } from "../../src/transport/netns-transport.js";
import type { Transport } from "../../src/transport/transport.js";
import {
  checkReachability,
  renderReachabilityTable,
  summarizeReachability,
  type ReachabilityMatrix,
} from "../../src/verify/index.js";
import { rootNetworkSnapshot } from "../lab/lab-fixture.js";
import { buildTopology } from "../modes/topology-fixture.js";

/**
 * Real packets: a lab of two hosts on one segment, workloads wired by hand in host-gw style
 * (no compiler, no applier: this checks the checker), then checkReachability over netns
 * transports. labDown removes every namespace starting with the prefix: this file's prefix
 * must not be a prefix of any other test's namespaces.
 */
const prefix = "nkfx-vf-lab";
const options = { stateDir: "/run/nkfx-vf-lab-state", mntnsDir: "/run/nkfx-vf-lab-mntns" };
const spec: LabSpec = { prefix, sshd: false, routers: [], guests: [] };

const topology = buildTopology({
  mode: "host-gw",
  hosts: [
    {
      name: "a",
      ip: "192.0.2.11",
      podCidr: "10.244.1.0/24",
      workloads: [
        ["red", "10.244.1.2"],
        ["blue", "10.244.1.3"],
      ],
    },
    { name: "b", ip: "192.0.2.12", podCidr: "10.244.2.0/24", workloads: [["red", "10.244.2.2"]] },
  ],
});

/**
 * One workload: a veth whose host end holds 169.254.1.1/32 (the workload's gateway, answered
 * by ARP because it is a local address of the host), a /32 route to the workload on the host.
 */
const wireWorkload = (name: string, ip: string): string => `
ip netns add ${name}
ip link add v-${name} type veth peer name eth0 netns ${name}
ip addr add 169.254.1.1/32 dev v-${name}
ip link set v-${name} up
ip route add ${ip}/32 dev v-${name}
ip -n ${name} link set lo up
ip -n ${name} addr add ${ip}/32 dev eth0
ip -n ${name} link set eth0 up
ip -n ${name} route add 169.254.1.1/32 dev eth0
ip -n ${name} route add default via 169.254.1.1 dev eth0
`;

const wiring: Record<string, string> = {
  a: `set -e
sysctl -qw net.ipv4.ip_forward=1
${wireWorkload("red", "10.244.1.2")}${wireWorkload("blue", "10.244.1.3")}
ip route add 10.244.2.0/24 via 192.0.2.12 dev eth0
`,
  b: `set -e
sysctl -qw net.ipv4.ip_forward=1
${wireWorkload("red", "10.244.2.2")}
ip route add 10.244.1.0/24 via 192.0.2.11 dev eth0
`,
};

const runScript = async (transport: Transport, script: string): Promise<void> => {
  const result = await transport.run(["sh", "-s"], { stdin: script, timeoutMs: 10_000 });
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
};

const failingPairs = (matrix: ReachabilityMatrix): string[] =>
  summarizeReachability(matrix).failing.map(
    (path) => `${path.from.host}/${path.from.workload} -> ${path.to.host}/${path.to.workload}`,
  );

describe("checkReachability in a lab", () => {
  const transports = new Map(
    topology.hosts.map((host) => [
      host.name,
      createNetnsTransport(host.name, `${prefix}-${host.name}`, {
        mountNamespaceDir: options.mntnsDir,
      }),
    ]),
  );
  let rootBefore = "";

  beforeAll(async () => {
    rootBefore = rootNetworkSnapshot();
    await labDown(prefix, options);
    await labUp(topology, spec, options);
    for (const [host, transport] of transports) await runScript(transport, wiring[host] ?? "");
  }, 20_000);

  afterAll(async () => {
    await labDown(prefix, options);
    expect(rootNetworkSnapshot()).toBe(rootBefore);
  }, 20_000);

  it("reports every path ok when every route is there", async () => {
    const matrix = await checkReachability({ topology, transports, count: 2, timeoutSeconds: 1 });
    expect(failingPairs(matrix)).toEqual([]);
    expect(matrix.hosts.map((host) => host.status)).toEqual(["checked", "checked"]);
    const summary = summarizeReachability(matrix);
    expect([summary.total, summary.reachable]).toEqual([6, 6]);
    const paths = matrix.hosts.flatMap((host) => (host.status === "checked" ? host.paths : []));
    expect(paths.every((path) => path.received === 2 && (path.rttAvgMs ?? 0) > 0)).toBe(true);
    expect(renderReachabilityTable(matrix, { color: false })).toBe(
      [
        "from \\ to  a/red  a/blue  b/red",
        "a/red      -      ok      ok",
        "a/blue     ok     -       ok",
        "b/red      ok     ok      -",
        "6 of 6 paths reachable",
        "",
      ].join("\n"),
    );
  });

  it("reports exactly the pairs that a missing route breaks, both directions", async () => {
    const b = transports.get("b");
    if (b === undefined) throw new Error("no transport for b");
    await runScript(b, "ip route del 10.244.1.0/24\n");
    try {
      const matrix = await checkReachability({ topology, transports, count: 2, timeoutSeconds: 1 });
      // Requests from a reach b/red, but its replies die on b; b/red's own requests die on b.
      expect(failingPairs(matrix)).toEqual([
        "a/red -> b/red",
        "a/blue -> b/red",
        "b/red -> a/red",
        "b/red -> a/blue",
      ]);
      const summary = summarizeReachability(matrix);
      expect([summary.total, summary.reachable]).toEqual([6, 2]);
      expect(
        summary.failing.every((path) => path.received === 0 && path.reason !== undefined),
      ).toBe(true);
    } finally {
      await runScript(b, "ip route add 10.244.1.0/24 via 192.0.2.11 dev eth0\n");
    }
  });

  it("records a host whose namespace is gone and still checks the other", async () => {
    const gone = createNetnsTransport("b", `${prefix}-gone`, {
      mountNamespaceDir: options.mntnsDir,
    });
    const matrix = await checkReachability({
      topology,
      transports: new Map([...transports, ["b", gone]]),
      count: 1,
      timeoutSeconds: 1,
    });
    expect(matrix.hosts[1]).toMatchObject({ host: "b", status: "failed" });
    expect(matrix.hosts[1]?.status === "failed" && matrix.hosts[1].reason).toMatch(
      /^b: network namespace nkfx-vf-lab-gone does not exist/,
    );
    const summary = summarizeReachability(matrix);
    expect([summary.total, summary.reachable, summary.failing.length]).toEqual([6, 4, 0]);
  });
});
