import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { PlanSource } from "../planner/plan.js";

/** Names the topology file a plan was made from, with a digest of its bytes. */
export async function planSourceOf(file: string): Promise<PlanSource> {
  const bytes = await readFile(file);
  return { file, sha256: createHash("sha256").update(bytes).digest("hex") };
}
