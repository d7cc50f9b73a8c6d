import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { labPaths } from "../../src/lab/lab-paths.js";

/** The CLI run by the benchmarks, and what one timed run of a command cost. */
export interface TimedRun {
  readonly exitCode: number;
  readonly wallMs: number;
  /** User plus system CPU of the command and every child it waited for (GNU time). */
  readonly cpuMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs argv under GNU time (`/usr/bin/time`), so the CPU of the process and of the children it
 * reaped (ssh clients, ansible's forks) is counted; ssh masters that fork into the background
 * are not. Never throws for a failing command: the exit code says so.
 */
export function runTimed(
  argv: readonly string[],
  options: { readonly workDir: string; readonly env?: NodeJS.ProcessEnv; readonly input?: string },
): TimedRun {
  const timeFile = join(options.workDir, "time.txt");
  const started = performance.now();
  const result = spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", timeFile, ...argv], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    input: options.input ?? "",
    maxBuffer: 1 << 30,
  });
  const wallMs = performance.now() - started;
  const [user = 0, system = 0] = readFileSync(timeFile, "utf8")
    .trim()
    .split("\n")
    .at(-1)!
    .split(" ")
    .map(Number);
  return {
    exitCode: result.status ?? 1,
    wallMs,
    cpuMs: (user + system) * 1000,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/**
 * A lab that the benchmark builds and must remove whatever happens: `lab down` runs on exit,
 * on SIGINT and on SIGTERM (a killed run leaves no namespace, sshd or state directory).
 */
export interface LabSession {
  /** The lab's own ssh_config (the one netplan-k uses for the lab). */
  readonly sshConfig: string;
  /** Connections opened through the lab's ProxyCommand since the last reset. */
  connections(): number;
  resetConnections(): void;
  down(): void;
}

export function startLabSession(
  cli: string,
  topologyFile: string,
  prefix: string,
  workDir: string,
  log: (line: string) => void,
): LabSession {
  let up = true;
  const down = () => {
    if (!up) return;
    up = false;
    try {
      execFileSync(process.execPath, [cli, "lab", "down", topologyFile], { stdio: "ignore" });
    } catch {
      // lab down reports its own failures; a half-built lab is still taken down as far as can be.
    }
  };
  const onSignal = () => {
    down();
    process.exit(130);
  };
  process.on("exit", down);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const started = performance.now();
  // lab up prints its progress on stderr and the lab's status on stdout: both are noise unless
  // it fails. At 30 hosts on a loaded machine its last check can find an sshd silent that
  // answers a moment later: a second lab up repairs or confirms the lab (it is idempotent).
  const labUp = () =>
    spawnSync(process.execPath, [cli, "lab", "up", topologyFile], { encoding: "utf8" });
  let built = labUp();
  if (built.status !== 0) {
    log(`lab ${prefix}: lab up failed, once more:\n${built.stdout.slice(-1500)}`);
    built = labUp();
  }
  if (built.status !== 0) {
    // Now, while the topology file still exists: the caller removes its work dir on the way out.
    down();
    throw new Error(
      `lab up ${topologyFile} failed twice (exit ${built.status}):\n${built.stdout}${built.stderr}`,
    );
  }
  log(`lab ${prefix} up in ${Math.round(performance.now() - started)} ms`);

  // Every new TCP connection to a lab sshd goes through the ProxyCommand: count them there.
  const sshConfig = labPaths(prefix).sshConfig;
  const counterLog = join(workDir, "connections.log");
  const counter = join(workDir, "count-connection.sh");
  writeFileSync(counter, `#!/bin/sh\necho "$*" >> '${counterLog}'\nexec "$@"\n`);
  chmodSync(counter, 0o755);
  // The lab's 5 s ConnectTimeout also bounds the banner exchange behind a ProxyCommand: with
  // tens of connections opened at once on a loaded machine (the floor, naive, Ansible), the
  // proxies' start alone took longer and connections failed. netplan-k passes its own.
  writeFileSync(
    sshConfig,
    readFileSync(sshConfig, "utf8")
      .replaceAll("ProxyCommand ", `ProxyCommand ${counter} `)
      .replace(/^(\s*)ConnectTimeout \d+$/gm, "$1ConnectTimeout 60"),
  );
  writeFileSync(counterLog, "");
  return {
    sshConfig,
    connections: () => readFileSync(counterLog, "utf8").split("\n").filter(Boolean).length,
    resetConnections: () => writeFileSync(counterLog, ""),
    down: () => {
      down();
      rmSync(counterLog, { force: true });
    },
  };
}
