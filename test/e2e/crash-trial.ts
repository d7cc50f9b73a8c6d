import { execa } from "execa";
import { createInterface } from "node:readline";
import { CLI, type CommandRun } from "./lab-scenario.js";

/**
 * One crash trial (issue 11, point 5): `apply -o json` started as a user would, SIGKILLed a
 * seeded random delay after the run announces the phase the trial aims at (the pipeline's
 * "phase" events: observe, build, wait, remove, verify). Only the controller dies: the scripts
 * it already sent go on running on the hosts, as after a real crash (they run in a process
 * group of their own). What the trial says is where the kill landed: the last phase announced
 * before it, or "finished" when the run ended first.
 */

/** The phases a kill is aimed at, in the pipeline's order. */
export const CRASH_PHASES = ["observe", "build", "wait", "remove", "verify"] as const;
export type CrashPhase = (typeof CRASH_PHASES)[number];

/**
 * How long after a phase's announcement a kill may come, in ms: about the phase's length in a
 * two-host lab, so that a uniform draw lands inside it most of the time (and sometimes just
 * after, which is a kill point too).
 */
export const KILL_WINDOW_MS: Readonly<Record<CrashPhase, number>> = {
  observe: 400,
  build: 150,
  wait: 200,
  remove: 400,
  verify: 300,
};

/**
 * A way of running apply in the trials: its extra flags. The confirm-or-revert variant adds
 * `--confirm-timeout` here, and a check of its own after each recovery.
 */
export interface CrashVariant {
  readonly name: string;
  readonly flags: readonly string[];
}

export interface CrashTrial {
  readonly file: string;
  readonly aim: CrashPhase;
  readonly delayMs: number;
  readonly variant: CrashVariant;
}

export interface CrashLanding {
  /** The last phase the killed run announced, or "finished" when it ended before the kill. */
  readonly landed: CrashPhase | "rollback" | "finished";
  /** The killed run's output, for an assertion message. */
  readonly run: CommandRun;
}

/** Runs `trial` (see above); resolves once the killed process is gone. */
export async function killApplyDuring(trial: CrashTrial): Promise<CrashLanding> {
  const argv = ["node", CLI, "apply", trial.file, "--auto-approve", "-o", "json"];
  const child = execa(argv[0] as string, [...argv.slice(1), ...trial.variant.flags], {
    reject: false,
    stdin: "ignore",
    env: { NO_COLOR: "1" },
    timeout: 180_000,
  });
  let landed: CrashLanding["landed"] | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let stdout = "";
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on("line", (line) => {
    stdout += `${line}\n`;
    const event = JSON.parse(line) as { type: string; phase?: string };
    if (event.type !== "phase") return;
    landed = event.phase as CrashLanding["landed"];
    if (event.phase === trial.aim && killTimer === undefined) {
      killTimer = setTimeout(() => child.kill("SIGKILL"), trial.delayMs);
    }
  });
  const result = await child;
  clearTimeout(killTimer);
  const killed = result.signal === "SIGKILL";
  return {
    landed: killed ? (landed ?? "observe") : "finished",
    run: {
      argv,
      exitCode: result.exitCode ?? -1,
      stdout,
      stderr: String(result.stderr ?? ""),
    },
  };
}
