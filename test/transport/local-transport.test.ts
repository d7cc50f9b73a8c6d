import { describe, expect, it } from "vitest";
import { createLocalTransport } from "../../src/transport/local-transport.js";
import { TransportError } from "../../src/transport/transport-error.js";

const local = createLocalTransport("here");

describe("local transport", () => {
  it("returns stdout, stderr and the exit code, final newline kept", async () => {
    const result = await local.run(["sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(result).toEqual({ exitCode: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("passes argv without a shell", async () => {
    const result = await local.run(["printf", "%s|", "$HOME", "a b", "; true"]);
    expect(result.stdout).toBe("$HOME|a b|; true|");
  });

  it("delivers stdin, and gives /dev/null without it", async () => {
    expect((await local.run(["cat"], { stdin: "line 1\nline 2\n" })).stdout).toBe(
      "line 1\nline 2\n",
    );
    expect((await local.run(["cat"])).stdout).toBe("");
  });

  it("reports death by signal as 128 + n", async () => {
    expect((await local.run(["sh", "-c", "kill -KILL $$"])).exitCode).toBe(137);
  });

  it("throws timeout when the command outlives timeoutMs", async () => {
    const started = Date.now();
    const error = await local.run(["sleep", "5"], { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "transport.timeout", host: "here" });
    expect((error as Error).message).toBe(
      'here: "sleep 5" did not finish within 200 ms and was stopped; ' +
        "raise the timeout or find out what the command waits for",
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("throws spawn-failed for a program that does not exist", async () => {
    const error = await local.run(["nkfx-no-such-program"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "transport.spawn-failed", host: "here" });
    expect((error as Error).message).toMatch(
      /^here: could not start nkfx-no-such-program: .*ENOENT.*; check that nkfx-no-such-program is installed and on PATH$/,
    );
    expect((error as Error).cause).toBeDefined();
  });

  it("refuses an empty argv", async () => {
    await expect(local.run([])).rejects.toThrow(RangeError);
  });
});
