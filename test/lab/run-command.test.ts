import { describe, expect, it } from "vitest";
import { tryCommand } from "../../src/lab/run-command.js";

describe("tryCommand", () => {
  // The lab's sshd probe reads the banner of a connection that stays open until the timeout.
  it("gives a timed-out command exit 124 and what it printed", async () => {
    const result = await tryCommand(["sh", "-c", "printf 'SSH-2.0-banner\\r\\n'; exec sleep 30"], {
      timeoutMs: 1000,
    });
    expect(result).toEqual({ exitCode: 124, stdout: "SSH-2.0-banner\r\n", stderr: "" });
  });

  it("gives a program that cannot start exit 127 and the reason", async () => {
    const result = await tryCommand(["/nonexistent/za-program"]);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toMatch(/ENOENT/);
  });
});
