import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A wrapper `ssh` put first in PATH for the CLI process: it logs each invocation's destination
 * (the argument after `--`, where netplan-k's ssh transport puts it) and execs the real client.
 * Control calls (`-O check`, `-O exit`) are logged apart: they are not round trips to run a
 * command, only the master connection's bookkeeping.
 */
export interface SshCounter {
  /** PATH for the CLI process, the wrapper's directory first. */
  readonly path: string;
  /** Command invocations per destination since the last reset. */
  count(): Promise<ReadonlyMap<string, number>>;
  reset(): Promise<void>;
}

const WRAPPER = (log: string) => `#!/bin/sh
# netplan-k e2e: count ssh round trips, then run the real ssh.
destination= kind=run previous=
for argument in "$@"; do
  if [ "$previous" = "--" ] && [ -z "$destination" ]; then destination=$argument; fi
  if [ "$argument" = "-O" ]; then kind=control; fi
  previous=$argument
done
printf '%s %s\\n' "$kind" "$destination" >> '${log}'
exec /usr/bin/ssh "$@"
`;

export async function installSshCounter(dir: string): Promise<SshCounter> {
  const bin = join(dir, "bin");
  const log = join(dir, "ssh-invocations.log");
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, "ssh"), WRAPPER(log));
  await chmod(join(bin, "ssh"), 0o755);
  await writeFile(log, "");
  return {
    path: `${bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
    async count() {
      const counts = new Map<string, number>();
      for (const line of (await readFile(log, "utf8")).split("\n")) {
        const [kind, destination] = line.split(" ");
        if (kind !== "run" || destination === undefined) continue;
        counts.set(destination, (counts.get(destination) ?? 0) + 1);
      }
      return counts;
    },
    async reset() {
      await writeFile(log, "");
    },
  };
}
