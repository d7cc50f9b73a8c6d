import { execa } from "execa";
import { describe, expect, test } from "vitest";
import { judgeVerification, verificationScript } from "../../src/applier/verify-host.js";
import { emptyHostState } from "../../src/model/index.js";
import { observationText } from "./fake-transport.js";
import { TEST_LOCK_OWNER } from "./lock-owner.js";

// The verification reads the host's state and nothing else (STATE_OBSERVATION): the facts
// (kernel drivers, iproute2 and kernel versions), an armed revert and the management path are
// what a plan is made from, and the diff it judges by reads none of them.

/** What STATE_OBSERVATION prints on a host holding only its underlay: no facts section. */
const stateOutput = observationText().replace(
  /@@netplan-k:section:facts\n[^]*?@@netplan-k:exit:0\n/,
  "",
);

describe("verificationScript", () => {
  for (const [label, script] of [
    ["without a lock", verificationScript()],
    ["releasing the run's lock", verificationScript(TEST_LOCK_OWNER)],
  ] as const) {
    test(`${label}: the state's sections, and no facts, revert or management path`, async () => {
      expect(script).toContain("  nk_listings\n");
      expect(script).toContain("  nk_section sysctl nk_sysctls\n");
      expect(script).toContain("  nk_section bird nk_bird");
      for (const left of [
        "nk_facts",
        "gzip",
        "modprobe",
        "ip -V",
        "nk_armed_revert",
        "ssh-route",
      ]) {
        expect(script).not.toContain(left);
      }
      const { exitCode } = await execa("dash", ["-n"], { input: script, reject: false });
      expect(exitCode).toBe(0);
    });
  }
});

describe("judgeVerification", () => {
  const target = {
    topology: "t",
    clusterCidr: "10.244.0.0/16",
    desired: { ...emptyHostState(), sysctls: [{ key: "net.ipv4.ip_forward", value: "0" }] },
  };

  test("judges the state of an observation without facts: converged", () => {
    expect(
      judgeVerification("node-1", { exitCode: 0, stdout: stateOutput, stderr: "" }, target),
    ).toEqual([]);
  });

  test("a state that differs is drift", () => {
    const stdout = stateOutput.replace("ip_forward=0", "ip_forward=1");
    const drift = judgeVerification("node-1", { exitCode: 0, stdout, stderr: "" }, target);
    expect(drift.map((error) => error.code)).toEqual(["apply.drift"]);
  });
});
