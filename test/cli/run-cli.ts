import { execa } from "execa";
import { fileURLToPath } from "node:url";

/** The built CLI (npm test builds before it runs vitest). */
export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs netplan-k from the repository root, as a user would, without a terminal. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const result = await execa("node", [CLI, ...args], {
    cwd: ROOT,
    reject: false,
    env: { NO_COLOR: "1" },
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
