import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { OBSERVE_LEASE_SECONDS } from "./host-lock-script.js";

/**
 * The runs of this controller's user that ended and may have left short observe leases on
 * hosts (host-lock-script.ts: a run that changed nothing on a host leaves its lease to run
 * out, since releasing it would cost a round trip). The next run names them in its first
 * round trip's lock take, which breaks such a lease at once (unless a script of that run still
 * runs on the host), instead of finding it held by a pid that is gone and observing again to
 * break it. Only a run that ended records itself, so no live run's lock is ever named.
 *
 * Kept in a file of the user's own ($XDG_RUNTIME_DIR, or ~/.cache), one line per run:
 * "<run id> <ms since the epoch>", and only as long as an observe lease lasts.
 */

/** How long a finished run is remembered: its leases are gone after this anyway. */
export const FINISHED_RUN_MEMORY_MS = OBSERVE_LEASE_SECONDS * 1000;

/** The file, in a directory only this user writes. */
export function finishedRunsFile(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env["XDG_RUNTIME_DIR"];
  const dir = runtime !== undefined && runtime !== "" ? runtime : join(homedir(), ".cache");
  return join(dir, "netplan-k", "finished-runs");
}

/** The run ids recorded less than FINISHED_RUN_MEMORY_MS before `nowMs`; none when unreadable. */
export const recentFinishedRuns = (file = finishedRunsFile(), nowMs = Date.now()): string[] =>
  recentLines(file, nowMs).map(({ run }) => run);

function recentLines(file: string, nowMs: number): { run: string; atMs: number }[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").flatMap((line) => {
    const [run = "", at = ""] = line.split(" ");
    const atMs = Number(at);
    const age = nowMs - atMs;
    return /^[A-Za-z0-9]+$/.test(run) && age >= 0 && age < FINISHED_RUN_MEMORY_MS
      ? [{ run, atMs }]
      : [];
  });
}

/**
 * Records that run `run` ended (all of its scripts returned), keeping the recent ones. Best
 * effort, never throws: a run not recorded only costs the next run a round trip per host.
 */
export function recordFinishedRun(
  run: string,
  file = finishedRunsFile(),
  nowMs = Date.now(),
): void {
  try {
    const kept = recentLines(file, nowMs).filter((line) => line.run !== run);
    const lines = [...kept, { run, atMs: nowMs }].map((line) => `${line.run} ${line.atMs}`);
    mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}`;
    writeFileSync(temporary, `${lines.join("\n")}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // Best effort (see above).
  }
}
