import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FINISHED_RUN_MEMORY_MS,
  finishedRunsFile,
  recentFinishedRuns,
  recordFinishedRun,
} from "../../src/applier/finished-runs.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "netplan-k-v4-finished-"));
});
afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

describe("the record of this controller's finished runs", () => {
  it("gives back the runs recorded within an observe lease, and forgets older ones", () => {
    const file = join(dir, "a", "finished-runs");
    const t0 = 1_000_000;
    expect(recentFinishedRuns(file, t0)).toEqual([]);
    recordFinishedRun("r1", file, t0);
    recordFinishedRun("r2", file, t0 + 1_000);
    expect(recentFinishedRuns(file, t0 + 2_000)).toEqual(["r1", "r2"]);
    // r1 keeps the time it ended: recording r3 later does not make it young again.
    recordFinishedRun("r3", file, t0 + FINISHED_RUN_MEMORY_MS);
    expect(recentFinishedRuns(file, t0 + FINISHED_RUN_MEMORY_MS)).toEqual(["r2", "r3"]);
  });

  it("reads nothing from lines that are not a run id and a time", async () => {
    const file = join(dir, "garbage");
    await writeFile(file, "run1 5\n; rm -rf / 5\nrun2 x\n\nrun3 5 6\n");
    expect(recentFinishedRuns(file, 10)).toEqual(["run1", "run3"]);
  });

  it("lives in the user's runtime directory, or ~/.cache", () => {
    expect(finishedRunsFile({ XDG_RUNTIME_DIR: "/run/user/1000" })).toBe(
      "/run/user/1000/netplan-k/finished-runs",
    );
    expect(finishedRunsFile({})).toMatch(/\/\.cache\/netplan-k\/finished-runs$/);
  });
});
