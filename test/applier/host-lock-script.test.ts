import { execa } from "execa";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockSection, parseLockReport } from "../../src/applier/host-lock-script.js";
import { OBSERVATION } from "../../src/observe/index.js";
import { renderRemoteScript, type RemoteSection } from "../../src/remote/index.js";
import { TEST_LOCK_OWNER } from "./lock-owner.js";

const lock = (body: string, exitCode = 0): RemoteSection => ({
  name: "lock",
  body,
  exitCode,
  stderr: "",
});

describe("the lock section of a script", () => {
  it("renders valid POSIX sh around the observation, for each action", async () => {
    for (const action of [{ kind: "take" }, { kind: "check" }, { kind: "release" }] as const) {
      const script = renderRemoteScript({
        ...OBSERVATION,
        lock: lockSection(TEST_LOCK_OWNER, action),
      });
      expect((await execa("dash", ["-n"], { input: script, reject: false })).exitCode).toBe(0);
      expect(script).toContain(`nk_section lock nk_lock_${action.kind}`);
    }
  });

  it("reads a lock another run holds, with its owner", () => {
    expect(
      parseLockReport(
        lock(
          "held\nrun=r2\nuser=alice\ncontroller=laptop\npid=7\nsince=x\nverb=apply\nexpires=99",
          75,
        ),
      ),
    ).toEqual({
      state: "held",
      owner: {
        run: "r2",
        user: "alice",
        controller: "laptop",
        pid: 7,
        since: "x",
        verb: "apply",
        expires: 99,
      },
    });
  });

  it("reads a stale lock broken before this run took its own", () => {
    const report = parseLockReport(lock("broken\nrun=old\npid=1\ntaken"));
    expect(report.state).toBe("taken");
    expect(report.broken).toMatchObject({ run: "old", pid: 1 });
    expect(report.owner).toBeUndefined();
  });

  it("stays held when the owner file holds lines of its own (a damaged or planted file)", () => {
    const report = parseLockReport(lock("held\nrun=r2\ngarbage\n\x1b[2J\nscript=77", 75));
    expect(report.state).toBe("held");
    expect(report.owner).toMatchObject({ run: "r2", script: 77 });
  });

  it("is none when the script carried no lock section or it printed nothing", () => {
    expect(parseLockReport(undefined)).toEqual({ state: "none" });
    expect(parseLockReport(lock("", 1))).toEqual({ state: "none" });
  });
});

describe("a take naming runs to break (breakRuns: dead or finished runs of this controller)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "netplan-k-v4-lock-"));
  });
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  /**
   * The take's lock section run by dash against a lock directory of its own, holding a live
   * lease of run `holder` whose script pid is gone: what the section printed.
   */
  async function takeOver(holder: string, breakRuns: readonly string[]): Promise<string> {
    const lockDir = join(dir, `${holder}-${breakRuns.join("-")}`, "lock");
    await mkdir(lockDir, { recursive: true });
    const expires = Math.floor(Date.now() / 1000) + 30;
    await writeFile(
      join(lockDir, "owner"),
      `run=${holder}\nuser=u\ncontroller=box\npid=1\nsince=x\nverb=apply\nexpires=${expires}\nscript=999999999\nstage=observe\n`,
    );
    const section = lockSection(TEST_LOCK_OWNER, { kind: "take", breakRuns });
    const functions = section.functions.replace(/^NK_LOCK=.*$/m, `NK_LOCK='${lockDir}'`);
    const run = await execa("dash", ["-s"], {
      input: `${functions}\n${section.command}\n`,
      reject: false,
    });
    return run.stdout;
  }

  it("breaks at once a live lease of a run it names, and takes the lock", async () => {
    const report = parseLockReport(lock(await takeOver("done2", ["done1", "done2"])));
    expect(report.state).toBe("taken");
    expect(report.broken?.run).toBe("done2");
  });

  it("leaves the live lease of a run it does not name held", async () => {
    const report = parseLockReport(lock(await takeOver("live", ["done1", "done2"]), 75));
    expect(report.state).toBe("held");
    expect(report.owner?.run).toBe("live");
  });
});
