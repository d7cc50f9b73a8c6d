import { execa } from "execa";
import { CLI, type CommandRun, type LabScenario } from "./lab-scenario.js";

/**
 * Interrupted runs (issue 11, point 7), with the signal sent from inside a lab host's own
 * script, so it lands exactly where the test wants it whatever the machine's load: an `ip`
 * wrapper first on the host's PATH (a tmpfs on /usr/local/sbin, in the host's private mount
 * namespace only: the scripts' PATH starts there, remote-script.ts) sends it the first time a
 * script of the chosen point calls `ip`, then goes on as `ip`. The run's pid is read from the
 * host's lock (its owner file, host-lock-script.ts); the run was started in a process group of
 * its own, as a terminal starts a foreground job, so SIGINT goes to that whole group (what
 * Ctrl-C does), SIGTERM to the process alone (what `kill` and systemd do).
 */
export interface HostInterrupt {
  /**
   * "build": the first `ip -batch` of the run's scripts (a build's, or a destroy's removals;
   * the observation's listings are `ip -j -batch`);
   * "verify": the verification's observation (its first `ip -j … -batch` listing: a BGP
   * wait's poll runs `ip -j` without -batch, a build `ip -batch` without -j; once a build or
   * removal has renewed the lock's lease to minutes: the first observation's is 30 s; a
   * verification runs no `ip -V`: it reads the state alone, STATE_OBSERVATION).
   */
  readonly point: "build" | "verify";
  readonly signal: "INT" | "TERM";
  /** 2: a second signal half a second after the first (a second Ctrl-C). */
  readonly times: 1 | 2;
  /** How long the script then waits, in seconds, before it goes on as `ip`. */
  readonly holdSeconds: number;
}

const LOCK_OWNER = "/run/netplan-k/lock/owner";
/** Perl that sets SIGINT's handling to the default, then runs its arguments. */
const RESET_SIGINT = '$SIG{INT} = "DEFAULT"; exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!"';
/** Marks, in the host's own /run, that the signal was sent: once per run. */
const SENT = "/run/wc-interrupt-sent";

const pointTest = {
  build: `case " $* " in *" -j "*) exec /sbin/ip "$@" ;; *" -batch "*) ;; *) exec /sbin/ip "$@" ;; esac`,
  verify: [
    `case " $* " in *" -j "*) ;; *) exec /sbin/ip "$@" ;; esac`,
    `case " $* " in *" -batch "*) ;; *) exec /sbin/ip "$@" ;; esac`,
    `expires=$(sed -n 's/^expires=//p' ${LOCK_OWNER} 2>/dev/null)`,
    `[ -n "$expires" ] && [ $((expires - $(date +%s))) -gt 60 ] || exec /sbin/ip "$@"`,
  ].join("\n"),
} as const;

/** The wrapper's lines (see above). */
function interruptingIp(interrupt: HostInterrupt): string[] {
  // dash's kill takes a process group as a negative pid, and no "--".
  const target = interrupt.signal === "INT" ? `-$pid` : `$pid`;
  const kill = `kill -${interrupt.signal} ${target}`;
  return [
    "#!/bin/sh",
    `[ -e ${SENT} ] && exec /sbin/ip "$@"`,
    pointTest[interrupt.point],
    `pid=$(sed -n 's/^pid=//p' ${LOCK_OWNER})`,
    `touch ${SENT}`,
    interrupt.times === 2 ? `${kill}; sleep 0.5; ${kill}` : kill,
    `sleep ${interrupt.holdSeconds}`,
    'exec /sbin/ip "$@"',
  ];
}

/**
 * Runs `netplan-k <command> <file> --auto-approve` as a terminal would, in its own process
 * group, while `host`'s `ip` interrupts it as `interrupt` says; the wrapper is gone afterwards,
 * whatever happened. The result's stderr ends with "[killed by SIGNAL]" when a signal killed
 * the process (its exit code is then -1), and "[no signal sent]" when the wrapper never fired.
 */
export async function runInterruptedFrom(
  scenario: LabScenario,
  host: string,
  interrupt: HostInterrupt,
  command: "apply" | "destroy",
): Promise<CommandRun> {
  await scenario.inHostOk(host, ["mount", "-t", "tmpfs", "wc-interrupting-ip", "/usr/local/sbin"]);
  try {
    const write = 'printf "%s\\n" "$@" > /usr/local/sbin/ip && chmod +x /usr/local/sbin/ip';
    await scenario.inHostOk(host, ["sh", "-c", write, "sh", ...interruptingIp(interrupt)]);
    await scenario.inHostOk(host, ["rm", "-f", SENT]);
    const argv = ["node", CLI, command, scenario.file, "--auto-approve"];
    // SIGINT set back to its default first: a suite started as a background job of a
    // non-interactive shell ignores it, and the scripts the run starts would inherit that,
    // hiding what the Ctrl-C cases check (that the run, not the signal, keeps them alive).
    const result = await execa("perl", ["-e", RESET_SIGINT, ...argv], {
      reject: false,
      stdin: "ignore",
      detached: true,
      env: { NO_COLOR: "1" },
      timeout: 180_000,
    });
    const sent = (await scenario.inHost(host, ["test", "-e", SENT])).exitCode === 0;
    return {
      argv,
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout ?? ""),
      stderr:
        String(result.stderr ?? "") +
        (result.signal === undefined ? "" : `\n[killed by ${result.signal}]`) +
        (sent ? "" : "\n[no signal sent]"),
    };
  } finally {
    // Lazily: a wrapper still holding a run that exited at once keeps its file open.
    await scenario.inHostOk(host, ["umount", "-l", "/usr/local/sbin"]);
  }
}
