import { execa } from "execa";
import { describe, expect, it } from "vitest";
import {
  lockSection,
  parseLockReport,
  type LockOwner,
} from "../../src/applier/host-lock-script.js";
import { OBSERVATION } from "../../src/observe/index.js";
import { renderRemoteScript, type RemoteSection } from "../../src/remote/index.js";

const OWNER: LockOwner = {
  run: "r1",
  user: "tester",
  controller: "box",
  pid: 42,
  since: "2026-11-30T00:00:00.000Z",
  verb: "apply",
};

const lock = (body: string, exitCode = 0): RemoteSection => ({
  name: "lock",
  body,
  exitCode,
  stderr: "",
});

describe("the lock section of a script", () => {
  it("renders valid POSIX sh around the observation, for each action", async () => {
    for (const action of [{ kind: "take" }, { kind: "check" }, { kind: "release" }] as const) {
      const script = renderRemoteScript({ ...OBSERVATION, lock: lockSection(OWNER, action) });
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
