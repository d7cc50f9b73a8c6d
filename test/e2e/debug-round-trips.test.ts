import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { describeRun, expectExit, useLabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// --debug shows every round trip to a host on stderr (host, phase, duration, exit status,
// bytes), and changes nothing else: stdout is the same with and without it. One host, netns
// transport (no sshd), so the lab costs a second.

const STEP_TIMEOUT_MS = 60_000;

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-debug",
  cluster: { cidr: "10.63.0.0/16", mode: "host-gw", attach: "bridge" },
  hosts: [labHost("n1", "192.0.2.101/24", "red")],
  lab: { prefix: "v5d", sshd: false },
};

/** "debug: n1 <phase>: 14 ms, exit 0, sent 6012 B, received 3807 B", as a pattern. */
const roundTrip = (phase: string): RegExp =>
  new RegExp(`^debug: n1 ${phase}: \\d+ ms, exit 0, sent \\d+ B, received \\d+ B$`, "m");

describe("--debug: each round trip on stderr", () => {
  const scenario = useLabScenario(topology);

  it(
    "lab up",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "apply --debug names the lock + observe and build + verify round trips; stdout has none",
    async () => {
      const apply = await scenario.cli(["apply"], ["--auto-approve", "--debug"]);
      expectExit(apply, 0);
      expect(apply.stderr, describeRun(apply)).toMatch(roundTrip("lock \\+ observe"));
      expect(apply.stderr, describeRun(apply)).toMatch(roundTrip("build \\+ verify"));
      expect(apply.stdout).not.toContain("debug:");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "plan: the same stdout with and without --debug; the observe line only with it",
    async () => {
      const quiet = await scenario.cli(["plan"]);
      const debug = await scenario.cli(["plan"], ["--debug"]);
      expectExit(quiet, 0);
      expectExit(debug, 0);
      expect(debug.stdout).toBe(quiet.stdout);
      expect(debug.stderr, describeRun(debug)).toMatch(roundTrip("observe"));
      expect(quiet.stderr).not.toContain("debug:");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "destroy",
    async () => {
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
    },
    STEP_TIMEOUT_MS,
  );
});
