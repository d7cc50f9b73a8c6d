import { execa } from "execa";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, ROOT } from "./run-cli.js";

/**
 * Runs `netplan-k apply TOPOLOGY --auto-approve` with the topology file as a named pipe, sends
 * `signal` once the CLI has opened it (it has loaded and catches signals, and has contacted no
 * host: the hosts of examples/vxlan.yaml do not exist), then writes the topology. Gives back
 * what a shell would see: the exit status and stderr.
 */
async function applyInterruptedBy(
  signal: "SIGINT" | "SIGTERM",
): Promise<{ readonly status: number | undefined; readonly stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), "netplan-k-u2-signal-"));
  try {
    const file = join(dir, "vxlan.yaml");
    await execa("mkfifo", [file]);
    const child = execa("node", [CLI, "apply", file, "--auto-approve"], {
      cwd: ROOT,
      reject: false,
      stdin: "ignore",
      env: { NO_COLOR: "1" },
      timeout: 20_000,
    });
    // Opening the pipe for writing returns once the CLI opens it for reading.
    const pipe = await open(file, "w");
    child.kill(signal);
    await pipe.writeFile(await readFile(join(ROOT, "examples/vxlan.yaml"), "utf8"));
    await pipe.close();
    const result = await child;
    return { status: result.exitCode, stderr: result.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("an interrupted apply exits as a shell reports the signal (issue 11, point 7)", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s before any host is contacted: exit %i, every host unchanged",
    async (signal, status) => {
      const run = await applyInterruptedBy(signal);
      expect(run.stderr).toContain("apply interrupted; where each host was left:");
      expect(run.stderr).toMatch(/node-1: unchanged \(nothing was sent to it\)/);
      expect(run.status, run.stderr).toBe(status);
    },
  );
});
