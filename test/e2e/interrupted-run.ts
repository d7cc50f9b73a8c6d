import { execa } from "execa";
import { CLI, type CommandRun } from "./lab-scenario.js";

/**
 * A CLI run interrupted as a user or a service manager would (issue 11, point 7): `netplan-k
 * <command> <file> --auto-approve` started in a process group of its own, as a terminal starts
 * a foreground job, and `signal` sent once its stderr matches `when`: SIGINT to the whole
 * group (what Ctrl-C does), SIGTERM to the process alone (what `kill` and systemd do). With
 * `again`, the same signal is sent a second time once the run has said it was interrupted.
 */
export interface Interruption {
  readonly command: "apply" | "destroy";
  readonly file: string;
  readonly when: RegExp;
  readonly signal: "SIGINT" | "SIGTERM";
  readonly again?: boolean;
}

export interface InterruptedRun {
  /** The run; its exit code -1 when a signal killed it (then stderr ends saying which). */
  readonly run: CommandRun;
  /** How many signals were sent (0 when the run ended before `when` matched). */
  readonly sent: number;
}

const INTERRUPT_RECEIVED = "Interrupt received";

/** Runs `interruption` (see above); resolves once the process has ended. */
export async function interruptRun(interruption: Interruption): Promise<InterruptedRun> {
  const argv = ["node", CLI, interruption.command, interruption.file, "--auto-approve"];
  const child = execa(argv[0] as string, argv.slice(1), {
    reject: false,
    stdin: "ignore",
    detached: true,
    env: { NO_COLOR: "1" },
    timeout: 180_000,
  });
  const pid = child.pid as number;
  const target = interruption.signal === "SIGINT" ? -pid : pid;
  let stderr = "";
  let sent = 0;
  const send = () => {
    sent++;
    process.kill(target, interruption.signal);
  };
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (sent === 0 && interruption.when.test(stderr)) send();
    else if (sent === 1 && interruption.again === true && stderr.includes(INTERRUPT_RECEIVED)) {
      send();
    }
  });
  const result = await child;
  return {
    run: {
      argv,
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout ?? ""),
      stderr: stderr + (result.signal === undefined ? "" : `\n[killed by ${result.signal}]`),
    },
    sent,
  };
}
