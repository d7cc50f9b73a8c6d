import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REVERT_KIND } from "../../src/applier/armed-revert-script.js";
import { describeHostLeft } from "../../src/cli/describe-interruption.js";
import { OBSERVATION_KIND } from "../../src/observe/observation-script.js";
import { formatRemoteOutput } from "../../src/remote/index.js";
import { APPLY_KIND, stepSection } from "../../src/applier/apply-script.js";
import { compileTopology } from "../../src/modes/index.js";
import {
  answer,
  applySucceeds,
  createFakeTransport,
  observationText,
  type FakeTransport,
} from "./fake-transport.js";
import { runOnFakeHosts, vxlanDemo } from "./run-on-fake-hosts.js";

// Issue 11, points 3 and 7, through runApplyPipeline with fake transports (fake-transport.ts):
// what a run says of a confirm-timeout revert it armed and was interrupted before confirming,
// and of a revert an earlier run armed that fired since. The converged vxlan-demo hosts
// (test/fixtures/converged/vxlan) answer the observations.

const converged = (host: string): string =>
  readFileSync(`test/fixtures/converged/vxlan/${host}.txt`, "utf8");
const HOSTS = ["node-1", "node-2", "node-3"] as const;
const OWNER = {
  run: "0ddba11a",
  user: "tester",
  controller: "laptop",
  pid: 4242,
  since: "2026-11-30T07:00:00.000Z",
  verb: "apply",
};
const RECORD =
  "run=3f2a91c0\nuser=alice\ncontroller=ci\npid=77\nsince=2026-11-30T06:00:00.000Z\n" +
  "verb=apply\ntimeout=60\nfires=1796000060";

/** An observation's output with a revert section (the record as the host keeps it). */
const withRevert = (observation: string, body: string): string =>
  observation.replace(
    "@@netplan-k:end",
    formatRemoteOutput(OBSERVATION_KIND, [{ name: "revert", body }])
      .split("\n")
      .slice(1)
      .join("\n"),
  );

/** An apply script whose first step fails, as the kernel would say it. */
const failingBuild = answer(
  formatRemoteOutput(APPLY_KIND, [
    {
      name: stepSection(1),
      body: "",
      stderr: "Error: Nexthop has invalid gateway.\nCommand failed -:1",
      exitCode: 2,
    },
  ]),
  1,
);

/** What the revert scripts print (armed-revert-script.ts): one section. */
const revertAnswer = (body: string) =>
  answer(formatRemoteOutput(REVERT_KIND, [{ name: "revert", body }]));

describe("a revert that fired is reported by the next run, once", () => {
  it("says when it fired and that it restored the host, then clears its record on a host that needs nothing", async () => {
    const fired = `${RECORD}\nstatus=0\nfired=1796000061\nalready=3\nrecord=fired\nnow=1796000500`;
    const transports = HOSTS.map((host) =>
      createFakeTransport(host, [
        answer(host === "node-1" ? withRevert(converged(host), fired) : converged(host)),
        revertAnswer(`cleared\n${RECORD}`),
      ]),
    );
    const { outcome, events } = await runOnFakeHosts(transports);
    expect(outcome).toEqual({ kind: "stopped", reason: "no-changes" });
    expect(events.filter((e) => e.kind === "revert")).toEqual([
      {
        kind: "revert",
        host: "node-1",
        state: "fired-earlier",
        message:
          "the confirm-timeout revert of run 3f2a91c0 (armed by alice@ci) fired at 00:54:21 UTC " +
          "and restored the state before that run (every line ran or found its object already " +
          "as wanted (3))",
      },
    ]);
    // The record is cleared where it was reported (one round trip there), nowhere else.
    const node1 = transports[0] as FakeTransport;
    expect(node1.calls).toHaveLength(2);
    expect(node1.calls[1]?.stdin).toContain("nk_revert_clear");
    expect(node1.calls[1]?.stdin).toContain("NK_RUN='3f2a91c0'");
    for (const other of transports.slice(1)) expect(other.calls).toHaveLength(1);
  });

  it("says a revert whose lines failed failed, and is no conflict for the plan", async () => {
    const fired = `${RECORD}\nstatus=2\nfired=1796000061\nalready=0\nrecord=fired\nnow=1796000500`;
    const transports = HOSTS.map((host) =>
      createFakeTransport(host, [
        answer(host === "node-2" ? withRevert(converged(host), fired) : converged(host)),
        revertAnswer(`cleared\n${RECORD}`),
      ]),
    );
    const { events } = await runOnFakeHosts(transports);
    const said = events.flatMap((e) => (e.kind === "revert" ? [e.message] : []));
    expect(said).toEqual([
      expect.stringMatching(
        /fired at 00:54:21 UTC and failed: 2 lines of it failed \(see \/run\/netplan-k\/revert\/revert\.log on the host\)/,
      ),
    ]);
    const planned = events.find((e) => e.kind === "planned");
    expect(planned?.kind === "planned" && planned.plan.hosts.flatMap((h) => h.conflicts)).toEqual(
      [],
    );
  });

  it("names a revert whose timer is dead as dead, with the command that clears it, never 'firing now'", async () => {
    const dead = `${RECORD}\nnow=1796000500\ntimer-start=123456\nrunning-start=`;
    const recycled = `${RECORD}\nnow=1796000500\ntimer-start=123456\nrunning-start=999999`;
    for (const body of [dead, recycled]) {
      const transports = HOSTS.map((host) =>
        createFakeTransport(host, [
          answer(host === "node-3" ? withRevert(converged(host), body) : converged(host)),
        ]),
      );
      const { outcome, events } = await runOnFakeHosts(transports);
      expect(outcome).toEqual({ kind: "stopped", reason: "not-applicable" });
      const planned = events.find((e) => e.kind === "planned");
      const reasons =
        planned?.kind === "planned"
          ? planned.plan.hosts.flatMap((h) => h.conflicts.map((c) => c.reason))
          : [];
      expect(reasons).toEqual([
        "a confirm-timeout revert armed by alice@ci (pid 77, run 3f2a91c0) since " +
          "2026-11-30T06:00:00.000Z is dead (its process is gone); it will not fire: " +
          "netplan-k disarm examples/vxlan.yaml --limit node-3 clears it",
      ]);
    }
  });
});

describe("an interrupted run with a confirm timeout", () => {
  it("says, per host, when its armed revert fires and how to keep the change", async () => {
    const interrupt = new AbortController();
    const transports = HOSTS.map((host) =>
      createFakeTransport(host, [
        answer(observationText({ underlayAddress: `192.168.64.${5 + HOSTS.indexOf(host)}/24` })),
        revertAnswer(
          `armed\n${RECORD.replace("fires=1796000060", "fires=1796000042")}\nnow=1796000000`,
        ),
        applySucceeds,
      ]),
    );
    const started = Date.now();
    const { outcome } = await runOnFakeHosts(
      transports,
      {
        interrupt: interrupt.signal,
        confirmTimeout: { seconds: 42, owner: OWNER, reopen: () => transports[0] as FakeTransport },
      },
      (event) => {
        // Ctrl-C once every host is armed: the build does not start.
        if (event.kind === "revert" && event.host === "node-3") interrupt.abort();
      },
    );
    if (outcome.kind !== "interrupted") throw new Error(`not interrupted: ${outcome.kind}`);
    for (const left of outcome.hosts) {
      const firesAtMs = left.armedRevert?.firesAtMs ?? 0;
      expect(firesAtMs - started).toBeGreaterThanOrEqual(41_000);
      expect(firesAtMs - Date.now()).toBeLessThanOrEqual(42_000);
      expect(left.armedRevert?.disarm).toBe(
        `netplan-k disarm examples/vxlan.yaml --limit ${left.host}`,
      );
      expect(describeHostLeft(left, firesAtMs - 40_000)).toMatch(
        new RegExp(
          `^${left.host}: unchanged \\(nothing was sent to it\\); its armed revert fires at ` +
            `\\d\\d:\\d\\d:\\d\\d UTC \\(in 40 s\\) and restores the state before this run; ` +
            `netplan-k disarm examples/vxlan.yaml --limit ${left.host} keeps the change$`,
        ),
      );
    }
  });
});

describe("a run with a confirm timeout whose removals were held", () => {
  it("confirms the held hosts (built, their old paths kept on purpose) and the proven rollback", async () => {
    // vxlan-demo renumbered to VNI 2 on its converged hosts: node-2's build fails, node-1 and
    // node-3 hold their removals (flannel.1 stays); node-2 answers its rollback's observation
    // with what it held (nothing to undo: proven).
    const armed = `armed\n${RECORD.replace("fires=1796000060", "fires=1796000042")}\nnow=1796000000`;
    const transports = HOSTS.map((host) =>
      createFakeTransport(host, [
        answer(converged(host)),
        revertAnswer(armed),
        host === "node-2" ? failingBuild : applySucceeds,
        answer(converged(host)),
      ]),
    );
    const reopened = HOSTS.map((host) =>
      createFakeTransport(host, [revertAnswer(`disarmed\n${RECORD}`)]),
    );
    const topology = await vxlanDemo();
    const { outcome, events } = await runOnFakeHosts(transports, {
      desiredOf: async () =>
        compileTopology({
          ...topology,
          cluster: { ...topology.cluster, vxlan: { ...topology.cluster.vxlan, vni: 2 } },
        }),
      confirmTimeout: {
        seconds: 42,
        owner: OWNER,
        reopen: (host) => reopened[HOSTS.indexOf(host as (typeof HOSTS)[number])] as FakeTransport,
      },
    });
    if (outcome.kind !== "applied") throw new Error(`not applied: ${outcome.kind}`);
    expect(outcome.results.map((r) => `${r.host} ${r.outcome}`)).toEqual([
      "node-1 held",
      "node-2 failed",
      "node-3 held",
    ]);
    const said = events.flatMap((e) =>
      e.kind === "revert" && e.state !== "armed" ? [`${e.host} ${e.state}`] : [],
    );
    expect(said.sort()).toEqual(["node-1 confirmed", "node-2 confirmed", "node-3 confirmed"]);
  });
});
