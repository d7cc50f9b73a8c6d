import { describe, expect, it } from "vitest";
import { applySteps, describeStepFailure } from "../../src/applier/index.js";
import { change } from "./changes.js";

// What a failed write of a managed file says: the host, the file and the shell's own message,
// never the write's line, which carries the whole file in base64. The failure output is the
// one a bgp lab gave (lab v5b, rr-1's /etc/bird bind-mounted read-only in its own mount
// namespace): dash's "cannot create", then the step's "Command failed -:<line>".
describe("a managed file that cannot be written or removed", () => {
  const config = `# managed by netplan-k, topology lab-bgp\n${"protocol device {\n}\n".repeat(40)}`;
  const readOnly =
    "sh: 52: cannot create /etc/bird/bird.conf.netplan-k.tmp: Read-only file system\n" +
    "Command failed -:2";

  it("a write names the file and the shell's message, without the encoded payload", () => {
    const changes = [
      change({
        kind: "file",
        action: "create",
        after: { path: "/etc/bird/bird.conf", content: config },
      }),
    ];
    const message = describeStepFailure(
      "rr-1",
      applySteps(changes),
      {
        step: 1,
        exitCode: 2,
        output: readOnly,
      },
      changes,
    );
    expect(message).toBe(
      "rr-1: could not write /etc/bird/bird.conf (sh line 2): sh: 52: cannot create " +
        "/etc/bird/bird.conf.netplan-k.tmp: Read-only file system",
    );
    expect(message).not.toContain(Buffer.from(config).toString("base64").slice(0, 40));
  });

  it("a removal names the file", () => {
    const changes = [
      change({
        kind: "file",
        action: "delete",
        before: { path: "/etc/bird/bird.conf", content: config },
      }),
    ];
    expect(
      describeStepFailure(
        "rr-1",
        applySteps(changes),
        {
          step: 1,
          exitCode: 1,
          output:
            "rm: cannot remove '/etc/bird/bird.conf': Read-only file system\nCommand failed -:1",
        },
        changes,
      ),
    ).toBe(
      "rr-1: could not remove /etc/bird/bird.conf (sh line 1): rm: cannot remove " +
        "'/etc/bird/bird.conf': Read-only file system",
    );
  });
});
