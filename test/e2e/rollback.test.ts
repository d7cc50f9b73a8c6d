import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/observe/snapshot.js";
import { fingerprintOwnedState } from "../../src/planner/rollback-target.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { describeRun, expectExit, useLabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// Issue 11, point 2: rollback on failure, in a lab of three vxlan hosts (netns transport). The
// failure is one the planner cannot foresee: in node-2's private mount namespace only, a
// `bridge` first on the scripts' PATH (/usr/local/sbin) fails its next `bridge -batch` once
// (while a trigger file exists), so node-2's build stops half-way after its `ip -batch` steps
// ran. Each apply changes the VXLAN port, which recreates flannel.1 and re-adds its fdb
// entries with `bridge -batch`. The proof is made from outside the run: `netplan-k observe`
// before and after, the owned part of each host's state fingerprinted (rollback-target.ts),
// and node-2's foreign objects listed with ip. Last, a switch to host-gw whose build fails on
// node-2 (an `ip` there fails its next `ip -batch` once): node-1 and node-3 must hold their
// removals, since node-2, rolled back to vxlan, still encapsulates to their flannel.1.

const STEP_TIMEOUT_MS = 120_000;
const TRIGGER = "/run/zr-fail-once";
const IP_TRIGGER = "/run/zr-fail-ip-once";

const HOSTS: TopologyFile["hosts"] = [
  labHost("node-1", "192.0.2.101/24", "red"),
  labHost("node-2", "192.0.2.102/24", "blue"),
  labHost("node-3", "192.0.2.103/24", "green"),
];
const topologyOnPort = (port: number): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "e2e-rollback",
  cluster: { cidr: "10.64.0.0/16", mode: "vxlan", attach: "bridge", vxlan: { port } },
  hosts: HOSTS,
  lab: { prefix: "zr", sshd: false },
});
const HOST_GW: TopologyFile = {
  ...topologyOnPort(8472),
  cluster: { cidr: "10.64.0.0/16", mode: "host-gw", attach: "bridge" },
};
const PORT_A = 8472;
const PORT_B = 4789;
const OWNER = { topology: "e2e-rollback", clusterCidr: "10.64.0.0/16" };

const FAILING_BRIDGE = [
  "#!/bin/sh",
  `if [ "$1" = -batch ] && rm ${TRIGGER} 2>/dev/null; then`,
  '  echo "Error: zr test: this bridge -batch was made to fail" >&2',
  "  exit 1",
  "fi",
  'exec /sbin/bridge "$@"',
];
/**
 * An `ip` that fails its next `ip -batch` that replaces a route (a build's, not the
 * observation's listings) once, as FAILING_BRIDGE does.
 */
const FAILING_IP = [
  "#!/bin/sh",
  'case " $* " in',
  '  *" -batch "*)',
  `    if [ -e ${IP_TRIGGER} ]; then`,
  "      batch=$(cat)",
  '      case "$batch" in',
  '        *"route replace"*)',
  `          rm -f ${IP_TRIGGER}`,
  '          echo "Error: zr test: this ip -batch was made to fail" >&2',
  "          exit 1 ;;",
  "      esac",
  '      printf "%s\\n" "$batch" | /sbin/ip "$@"',
  "      exit",
  "    fi ;;",
  "esac",
  'exec /sbin/ip "$@"',
];
describe("rollback on failure, in the lab", () => {
  const scenario = useLabScenario(topologyOnPort(PORT_A));

  /** Each host's owned state, fingerprinted, as `netplan-k observe` shows it now. */
  const ownedNow = async (): Promise<Map<string, string>> => {
    const observed = await scenario.cli(["observe"]);
    expectExit(observed, 0);
    const snapshot = JSON.parse(observed.stdout) as Snapshot;
    return new Map(snapshot.hosts.map((h) => [h.host, fingerprintOwnedState(OWNER, h.state)]));
  };
  /** node-2's foreign objects, as ip lists them. */
  const foreignOnNode2 = async () => [
    await scenario.inHostOk("node-2", ["ip", "-j", "-d", "link", "show", "dev", "zrforeign"]),
    await scenario.inHostOk("node-2", ["ip", "-j", "route", "show", "203.0.113.0/24"]),
  ];
  const failNextBridgeBatch = () => scenario.inHostOk("node-2", ["touch", TRIGGER]);
  const apply = async (port: number, flags: readonly string[] = []) => {
    await scenario.write(topologyOnPort(port));
    return scenario.cli(["apply"], ["--auto-approve", ...flags]);
  };
  /** An apply that exits 0 has verified every host (its last round trip). */
  const converge = async (port: number) => expectExit(await apply(port), 0);

  it(
    "lab up, a failing bridge in node-2 only, foreign objects there, and a first apply",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      await scenario.inHostOk("node-2", ["mount", "-t", "tmpfs", "zr-bridge", "/usr/local/sbin"]);
      const write =
        'printf "%s\\n" "$@" > /usr/local/sbin/bridge && chmod +x /usr/local/sbin/bridge';
      await scenario.inHostOk("node-2", ["sh", "-c", write, "sh", ...FAILING_BRIDGE]);
      const writeIp = 'printf "%s\\n" "$@" > /usr/local/sbin/ip && chmod +x /usr/local/sbin/ip';
      await scenario.inHostOk("node-2", ["sh", "-c", writeIp, "sh", ...FAILING_IP]);
      await scenario.inHostOk("node-2", ["ip", "link", "add", "zrforeign", "type", "bridge"]);
      await scenario.inHostOk("node-2", ["ip", "route", "add", "blackhole", "203.0.113.0/24"]);
      await converge(PORT_A);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "rollback-host (default): node-2 is put back exactly, foreign objects untouched; the next apply converges",
    async () => {
      const before = await ownedNow();
      const foreign = await foreignOnNode2();
      await failNextBridgeBatch();
      const run = await apply(PORT_B, ["-o", "json"]);
      expectExit(run, 1);
      const lines = run.stdout.split("\n").filter((line) => line !== "");
      const rollbacks = lines
        .map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>)
        .filter((line) => line.type === "rollback");
      expect(rollbacks, describeRun(run)).toMatchObject([
        {
          host: "node-2",
          cause: "failed",
          code: "apply.step-failed",
          state: "rolled-back",
          roundTrips: 3,
          problems: [],
          failure: expect.stringMatching(
            /^node-2: bridge -batch failed .*Error: zr test: this bridge -batch was made to fail/,
          ),
        },
      ]);
      const after = await ownedNow();
      expect(after.get("node-2"), "node-2's owned state").toBe(before.get("node-2"));
      // node-1 built the new port and was verified: not rolled back with rollback-host.
      expect(after.get("node-1")).not.toBe(before.get("node-1"));
      expect(await foreignOnNode2()).toEqual(foreign);
      await converge(PORT_B);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "rollback-all: node-1, already verified, is put back too",
    async () => {
      const before = await ownedNow();
      await failNextBridgeBatch();
      const run = await apply(PORT_A, ["--on-failure", "rollback-all"]);
      expectExit(run, 1);
      expect(run.stderr, describeRun(run)).toContain(
        "node-1: rolled back to its state before this run",
      );
      expect(run.stderr).toMatch(/node-1: rolled back .* because another host failed/);
      expect(run.stderr).toContain("node-2: rolled back to its state before this run");
      expect(run.stderr).toMatch(/✗ node-2: bridge -batch failed .*made to fail/);
      expect(await ownedNow()).toEqual(before);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "keep: node-2 is left as it failed; the next apply converges",
    async () => {
      const before = await ownedNow();
      await failNextBridgeBatch();
      const run = await apply(PORT_A, ["--on-failure", "keep"]);
      expectExit(run, 1);
      expect(run.stderr, describeRun(run)).toContain("node-2: kept as it failed");
      expect((await ownedNow()).get("node-2")).not.toBe(before.get("node-2"));
      await converge(PORT_A);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "vxlan → host-gw with node-2's build failing: node-1 and node-3 hold their removals, every workload still reaches every other; fixed, the next apply converges",
    async () => {
      await scenario.inHostOk("node-2", ["touch", IP_TRIGGER]);
      await scenario.write(HOST_GW);
      const run = await scenario.cli(["apply"], ["--auto-approve", "-o", "json"]);
      expectExit(run, 1);
      // The point: node-2 is back on vxlan and every workload still reaches every other (real
      // pings). Verified against the vxlan topology: node-2's workload still has vxlan's MTU
      // (1450), node-1's already host-gw's (1500), so full-size pings across the two fail with
      // "fragmentation needed" against host-gw's MTU (measured: 56-byte pings pass, 1472-byte
      // DF pings fail); at vxlan's MTU every path of the mixed layout works.
      await scenario.write(topologyOnPort(PORT_A));
      const reached = await scenario.cli(["verify"]);
      await scenario.write(HOST_GW);
      expect(reached.exitCode, `${describeRun(reached)}\n${describeRun(run)}`).toBe(0);
      // node-1 and node-3 kept the flannel.1 node-2 encapsulates to, and said why.
      await scenario.inHostOk("node-1", ["ip", "link", "show", "dev", "flannel.1"]);
      await scenario.inHostOk("node-3", ["ip", "link", "show", "dev", "flannel.1"]);
      const lines = run.stdout
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>);
      expect(lines.filter((line) => line.type === "removing")).toEqual([]);
      expect(lines.filter((line) => line.type === "held")).toMatchObject(
        ["node-1", "node-3"].map((host) => ({
          host,
          failed: ["node-2"],
          message: expect.stringMatching(
            new RegExp(
              `^${host}: removals held \\(\\d+ deletes?\\): node-2 failed before the remove phase, and its old paths may still use what they would delete; run apply again once node-2 is fixed$`,
            ),
          ),
        })),
      );
      expect(lines.filter((line) => line.type === "rollback")).toMatchObject([
        { host: "node-2", cause: "failed", state: "rolled-back", problems: [] },
      ]);
      // Fixed (the fault fired once), the next apply runs the removals and converges.
      await scenario.inHostOk("node-2", ["rm", "-f", IP_TRIGGER]);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      expect(
        (await scenario.inHost("node-1", ["ip", "link", "show", "dev", "flannel.1"])).exitCode,
      ).not.toBe(0);
      expectExit(await scenario.cli(["verify"]), 0);
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );
});
