import { execa } from "execa";
import { randomBytes } from "node:crypto";

/**
 * Names for this test run's namespaces: the nkfx- prefix marks them as test fixtures, the
 * random part keeps test files that run in parallel apart.
 */
export function fixtureName(role: string): string {
  return `nkfx-${randomBytes(3).toString("hex")}-${role}`;
}

export async function addNetns(name: string): Promise<void> {
  await execa("ip", ["netns", "add", name]);
  await execa("ip", ["-n", name, "link", "set", "lo", "up"]);
}

/** Kills what still runs in the namespace, then removes it; quiet when it is already gone. */
export async function deleteNetns(name: string): Promise<void> {
  const pids = await execa("ip", ["netns", "pids", name], { reject: false });
  for (const pid of pids.stdout.split("\n").filter((line) => line !== "")) {
    await execa("kill", ["-KILL", pid], { reject: false });
  }
  await execa("ip", ["netns", "del", name], { reject: false });
}
