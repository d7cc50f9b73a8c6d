import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { classifySshFailure } from "./classify-ssh-failure.js";
import { classifySudoFailure } from "./classify-sudo-failure.js";
import { argvToRemoteCommandLine } from "./quote-for-remote-shell.js";
import { requireCommand } from "./require-command.js";
import { runSubprocess } from "./run-subprocess.js";
import { sshConnectionArgs, type SshTarget, type SshTransportOptions } from "./ssh-args.js";
import { terminateMaster } from "./ssh-control-socket.js";
import type { RunOptions, RunResult, Transport } from "./transport.js";

/**
 * A host reached with the system OpenSSH client, so the user's ~/.ssh/config, agent,
 * known_hosts and ProxyJump work as they do at a terminal.
 *
 * The first command opens a master connection (ControlMaster=auto + ControlPersist) whose
 * socket lives in a directory of its own, created with mode 0700 on first use; later commands
 * reuse it. Commands started while the first is still running wait for it, so that they do not
 * each open a connection and race to become the master. close() stops the master and removes
 * the directory.
 *
 * A command that outlives its timeout takes the master down with it: the mux client hands its
 * stdout and stderr to the master, which would hold them until the remote command ends. Other
 * commands running on the host at that moment fail; the next one opens a new master.
 */
export function createSshTransport(
  host: string,
  target: SshTarget,
  options: SshTransportOptions = {},
): Transport {
  const destination = `${target.user === undefined ? "" : `${target.user}@`}${target.host}`;
  let controlDir: Promise<string> | undefined;
  let firstRun: Promise<unknown> | undefined;

  const sshArgv = (dir: string, ...rest: readonly string[]) => [
    "ssh",
    // %C: a hash of local host, remote host, port and user, 40 characters whatever their length.
    ...sshConnectionArgs(target, options, join(dir, "%C")),
    ...rest,
  ];

  /**
   * Stops the master of `dir`, if one runs, and waits until it is gone. The request goes
   * through the control socket from this process (ssh-control-socket.ts): an `ssh -O exit`
   * was one more process per host at the end of every command, and on a loaded machine every
   * spawn blocks the event loop until the child has exec'd. `ssh -O exit` remains for a master
   * that does not take the request there; the master unlinks its control socket just before
   * exiting (OpenSSH's ssh.c), so after it an empty directory means it has gone.
   */
  async function stopMaster(dir: string): Promise<void> {
    const outcomes = await Promise.all(
      (await readdir(dir)).map((socket) => terminateMaster(join(dir, socket), 10_000)),
    );
    const pids = outcomes.flatMap((outcome) =>
      outcome.kind === "terminated" ? [outcome.pid] : [],
    );
    if (outcomes.some((outcome) => outcome.kind === "failed")) {
      const exit = await runSubprocess(
        {
          host,
          argv: sshArgv(dir, "-O", "exit", "--", target.host),
          label: `"ssh -O exit" for ${destination}`,
        },
        { timeoutMs: 10_000 },
      );
      // No master answered: none runs.
      if (exit.exitCode !== 0 && pids.length === 0) return;
    }
    for (
      let waited = 0;
      waited < 2_000 && ((await readdir(dir)).length > 0 || pids.some(isRunning));
      waited += 20
    ) {
      await sleep(20);
    }
  }

  async function runOverSsh(argv: readonly string[], runOptions: RunOptions): Promise<RunResult> {
    controlDir ??= mkdtemp(join(controlDirParent(options.controlDirParent), "nk-ssh-"));
    const dir = await controlDir;
    const remoteArgv = target.become === "sudo" ? ["sudo", "-n", ...argv] : argv;
    const result = await runSubprocess(
      {
        host,
        argv: sshArgv(dir, "--", target.host, argvToRemoteCommandLine(remoteArgv)),
        label: `"${argv.join(" ")}" over ssh to ${destination}`,
        onTimeout: () => stopMaster(dir),
        timeoutNote: " (its ssh connection was closed; the remote process may still run)",
      },
      runOptions,
    );
    const failure =
      (result.exitCode === 255
        ? classifySshFailure(host, target, result.stderr, result)
        : undefined) ??
      (target.become === "sudo"
        ? classifySudoFailure(host, target, result.exitCode, result.stderr, result)
        : undefined);
    if (failure !== undefined) {
      throw failure;
    }
    return result;
  }

  return {
    host,
    async run(argv, runOptions = {}) {
      requireCommand(argv);
      if (firstRun === undefined) {
        const run = runOverSsh(argv, runOptions);
        firstRun = run.catch(() => undefined);
        return run;
      }
      return firstRun.then(() => runOverSsh(argv, runOptions));
    },
    async close() {
      const opened = controlDir;
      controlDir = undefined;
      firstRun = undefined;
      if (opened === undefined) {
        return;
      }
      const dir = await opened;
      try {
        await stopMaster(dir);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A unix socket path holds at most 103 characters on macOS (107 on Linux). The socket is
 * <parent>/nk-ssh-XXXXXX/<40 hex>, 55 characters after the parent; macOS's per-user temp dir
 * is too long for that, so the default falls back to /tmp. An explicit parent is used as given.
 */
function controlDirParent(explicit: string | undefined): string {
  if (explicit !== undefined) {
    return explicit;
  }
  const parent = tmpdir();
  return parent.length + 55 <= 103 ? parent : "/tmp";
}

/**
 * Whether process `pid` still runs: it exists (signal 0 only checks) and, where /proc tells,
 * is not a zombie waiting to be reaped (a master's parent is the init process, or whichever
 * subreaper adopted it, which reaps it when it gets to it).
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    // No /proc (macOS): signal 0 said it exists.
    return true;
  }
}
