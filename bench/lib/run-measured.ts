import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPORT_USAGE = fileURLToPath(new URL("./report-usage.mjs", import.meta.url));

/** What one measured child process cost. */
export interface Measurement {
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** User plus system CPU time of the child itself. */
  readonly cpuMs: number;
  /** The child's peak resident set (getrusage maxRSS). */
  readonly maxRssMiB: number;
  /** Bytes the child wrote to stdout. */
  readonly stdoutBytes: number;
}

/**
 * Runs `node <args>` with report-usage.mjs preloaded, stdout into `stdoutFile`, and measures
 * it. Resolves when the child exits (or is killed after `timeoutMs`, exit code null); throws
 * only when the child cannot be started. The child's stderr is passed through.
 */
export async function runMeasuredNode(
  args: readonly string[],
  options: { readonly stdoutFile: string; readonly workDir: string; readonly timeoutMs: number },
): Promise<Measurement> {
  const usageFile = join(options.workDir, `usage-${process.pid}-${Date.now()}.json`);
  const stdout = openSync(options.stdoutFile, "w");
  const started = performance.now();
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", REPORT_USAGE, ...args], {
        stdio: ["ignore", stdout, "inherit"],
        env: { ...process.env, NK_BENCH_USAGE: usageFile, NO_COLOR: "1" },
      });
      const stop = () => child.kill("SIGKILL");
      const timer = setTimeout(stop, options.timeoutMs);
      // A benchmark stopped by a signal exits (see bench/*.ts): its child goes with it.
      process.on("exit", stop);
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        process.off("exit", stop);
        resolve(code);
      });
    });
    const wallMs = performance.now() - started;
    let usage = { userCPUTime: 0, systemCPUTime: 0, maxRSS: 0 };
    try {
      usage = JSON.parse(readFileSync(usageFile, "utf8")) as typeof usage;
    } catch {
      // Killed or out of memory: no report; the exit code says so.
    }
    return {
      exitCode,
      wallMs,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      maxRssMiB: usage.maxRSS / 1024,
      stdoutBytes: statSync(options.stdoutFile).size,
    };
  } finally {
    closeSync(stdout);
    rmSync(usageFile, { force: true });
  }
}
