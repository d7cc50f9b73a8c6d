import { describe, expect, it } from "vitest";
import { applySteps, describeStepFailure } from "../../src/applier/index.js";
import { change } from "./changes.js";

// What a failed sysctl write says: the sysctl and its value, not only the executor. The
// failure output is the one apply-script.test.ts records from a real shell step (dash's
// "cannot create", then the step's "Command failed -:<line>").
describe("a sysctl write that fails names the sysctl and the value", () => {
  const changes = [
    change({
      kind: "sysctl",
      action: "update",
      after: { key: "net.ipv4.ip_forward", value: "1" },
    }),
    change({
      kind: "sysctl",
      action: "update",
      after: { key: "net.ipv4.conf.nothere0.proxy_arp", value: "1" },
    }),
  ];
  const steps = applySteps(changes);
  const failure = {
    step: 1,
    exitCode: 2,
    output:
      "sh: 2: cannot create /proc/sys/net/ipv4/conf/nothere0/proxy_arp: Directory nonexistent\n" +
      "Command failed -:2",
  };

  it("says which sysctl, which value, the line and what the shell answered", () => {
    expect(describeStepFailure("node-a", steps, failure, changes)).toBe(
      "node-a: setting sysctl net.ipv4.conf.nothere0.proxy_arp to 1 failed (sh line 2: " +
        "printf '%s\\n' 1 >/proc/sys/net/ipv4/conf/nothere0/proxy_arp): sh: 2: cannot create " +
        "/proc/sys/net/ipv4/conf/nothere0/proxy_arp: Directory nonexistent",
    );
  });
});
