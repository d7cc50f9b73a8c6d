import { describe, expect, it } from "vitest";
import { runLocalProcess, runSubprocess } from "../../src/transport/run-subprocess.js";
import { TransportError } from "../../src/transport/transport-error.js";

// A process that prints, then never ends on its own: sh's builtin printf writes before `exec`
// replaces the shell with sleep, so the output is there long before the timeout.
const PRINTS_THEN_HANGS = ["sh", "-c", "printf 'SSH-2.0-banner\\r\\n'; exec sleep 30"];

describe("runLocalProcess", () => {
  it("returns what a timed-out process printed before it was stopped", async () => {
    const started = Date.now();
    const end = await runLocalProcess(PRINTS_THEN_HANGS, { timeoutMs: 1000 });
    expect(end).toMatchObject({ kind: "timed-out", stdout: "SSH-2.0-banner\r\n" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("ends a timed-out process only once its onTimeout cleanup is done", async () => {
    // ssh's cleanup stops the host's master; a next command started before that ended met the
    // closing master and got its session dropped (empty output, ssh-transport's flake).
    let cleaned = false;
    const end = await runLocalProcess(["sleep", "30"], {
      timeoutMs: 100,
      onTimeout: async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        cleaned = true;
      },
    });
    expect(end.kind).toBe("timed-out");
    expect(cleaned).toBe(true);
  });

  it("keeps output byte for byte and passes stdin", async () => {
    const end = await runLocalProcess(["sh", "-c", "cat; echo oops >&2; exit 3"], {
      stdin: "a\n\nb\n",
    });
    expect(end).toEqual({ kind: "exited", exitCode: 3, stdout: "a\n\nb\n", stderr: "oops\n" });
  });

  it("reports a program that cannot start", async () => {
    const end = await runLocalProcess(["/nonexistent/za-program"]);
    expect(end).toMatchObject({ kind: "not-started", reason: expect.stringMatching(/ENOENT/) });
  });
});

describe("runSubprocess", () => {
  it("turns a timeout into transport.timeout naming the host and the command", async () => {
    const error = await runSubprocess(
      { host: "node-a", argv: PRINTS_THEN_HANGS, label: '"banner"' },
      { timeoutMs: 1000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe("transport.timeout");
    expect((error as TransportError).message).toMatch(
      /^node-a: "banner" did not finish within 1000 ms and was stopped; /,
    );
  });
});
