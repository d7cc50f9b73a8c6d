import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChanges } from "../../src/applier/run-changes.js";
import { verificationScript } from "../../src/applier/verify-host.js";
import { parseStateObservationRun } from "../../src/observe/index.js";
import { createNetnsTransport, type RunResult, type Transport } from "../../src/transport/index.js";
import { change, route } from "./changes.js";

// A build script with the verification riding it (apply-plan-phased.ts, verifiedByBuild), run
// by a real sh in a namespace of its own (prefix v4, created and removed here): the
// verification runs only once every step is done, in the same round trip; a failed step
// leaves it out, so the host is rolled back from a fresh observation as before.

const ns = `v4-vr-${randomBytes(3).toString("hex")}`;

const bridge = change({
  kind: "link",
  action: "create",
  after: { name: "v4br0", kind: "bridge", mtu: 1500, up: true },
});
/** A route through a device that does not exist: its step fails. */
const brokenRoute = change({
  kind: "route",
  action: "create",
  after: route("10.78.0.0/24", { dev: "v4-missing" }),
});

/** The namespace as a host, with every run it made (stdin's end and what came back). */
function recordedHost(): { transport: Transport; runs: RunResult[] } {
  const inner = createNetnsTransport("node-v4", ns, { mountNamespaceDir: "/nonexistent" });
  const runs: RunResult[] = [];
  return {
    runs,
    transport: {
      host: inner.host,
      run: async (argv, options) => {
        const result = await inner.run(argv, options);
        runs.push(result);
        return result;
      },
      close: () => inner.close(),
    },
  };
}

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)("a build script with its verification riding it (root)", () => {
  beforeAll(async () => {
    await execa("ip", ["netns", "add", ns]);
  });
  afterAll(async () => {
    await execa("ip", ["netns", "del", ns], { reject: false });
  });

  it("observes the host after its last step, in the same round trip", async () => {
    const { transport, runs } = recordedHost();
    const outcome = await runChanges(
      transport,
      "build",
      [bridge],
      [],
      () => undefined,
      undefined,
      verificationScript(),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.applied).toEqual([bridge]);
    expect(runs).toHaveLength(1);
    const verification = outcome.verification as RunResult;
    const observed = parseStateObservationRun("node-v4", verification);
    expect(observed.root.links.map((link) => link.name)).toContain("v4br0");
    // The state alone (STATE_OBSERVATION): the facts are the plan's, not the verification's.
    expect(verification.stdout).not.toContain("@@netplan-k:section:facts");
  });

  it("does not observe after a failed step: the script's own failure is reported", async () => {
    const { transport, runs } = recordedHost();
    const outcome = await runChanges(
      transport,
      "build",
      [brokenRoute],
      [],
      () => undefined,
      undefined,
      verificationScript(),
    );
    expect(outcome.error?.code).toBe("apply.step-failed");
    expect(outcome.error?.message).toContain("v4-missing");
    expect(outcome.verification).toBeUndefined();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.exitCode).not.toBe(0);
    expect(runs[0]?.stdout).not.toContain("@@netplan-k:observation:");
  });
});
