import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ConvergeResult } from "../../src/applier/index.js";
import { EVENTS_JSON_VERSION, jsonConvergeView } from "../../src/cli/converge-view-json.js";
import type { ConvergeRunEvent } from "../../src/cli/converge-view.js";
import type { Output } from "../../src/cli/output.js";
import { NetplanError } from "../../src/model/netplan-error.js";
import type { Change, HostPlan, Plan } from "../../src/planner/plan.js";

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/events.schema.json", import.meta.url), "utf8"),
);
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Every line the view writes, and anything it wrongly writes to stderr. */
function capture(): { output: Output; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    output: {
      color: false,
      interactive: false,
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    },
    out,
    err,
  };
}

const route = (action: Change["action"], dst: string): Change => ({
  kind: "route",
  action,
  key: `254/${dst}/0`,
  reason: `route ${dst}: missing`,
  disruptive: action === "replace",
});
const hostPlan = (host: string, changes: Change[], extra: Partial<HostPlan> = {}): HostPlan => ({
  host,
  changes,
  conflicts: [],
  errors: [],
  observedFingerprint: "0".repeat(64),
  ...extra,
});
const plan: Plan = {
  formatVersion: 1,
  topology: "lab",
  against: "hosts",
  hosts: [
    hostPlan("node-1", [route("create", "10.1.2.0/24"), route("replace", "10.1.3.0/24")]),
    hostPlan("node-2", [route("delete", "10.1.9.0/24")]),
    hostPlan("node-3", [], {
      conflicts: [{ kind: "route", key: "254/10.1.1.0/24/0", reason: "route 10.1.1.0/24 exists" }],
      errors: ["node-3: cannot reach 192.0.2.13 over ssh"],
    }),
  ],
};
const result = (host: string, outcome: ConvergeResult["outcome"], errors: string[] = []) =>
  ({
    host,
    outcome,
    plan: plan.hosts.find((h) => h.host === host) as HostPlan,
    applied: outcome === "converged" ? [route("create", "10.1.2.0/24")] : [],
    roundTrips: 3,
    errors: errors.map((message) => new NetplanError("transport.unreachable", message, { host })),
  }) satisfies ConvergeResult;

/** A run that touches every kind of event the view knows. */
const everything: ConvergeRunEvent[] = [
  { kind: "started", verb: "apply", topology: "lab", hosts: ["node-1", "node-2", "node-3"] },
  { kind: "unobserved", host: "node-3", message: "node-3: cannot reach 192.0.2.13 over ssh" },
  { kind: "planned", plan },
  { kind: "stale", host: "node-2", message: "Saved plan is stale: node-2 changed" },
  { kind: "applying", hosts: ["node-1", "node-2"] },
  { kind: "host", event: { kind: "applying", host: "node-1", phase: "build", steps: 2 } },
  {
    kind: "host",
    event: {
      kind: "step",
      host: "node-1",
      phase: "build",
      step: 1,
      steps: 2,
      command: "ip",
      ok: true,
    },
  },
  {
    kind: "host",
    event: {
      kind: "step",
      host: "node-2",
      phase: "removals",
      step: 1,
      steps: 1,
      command: "ip -batch",
      ok: false,
    },
  },
  {
    kind: "host",
    event: { kind: "bgp", host: "node-1", ok: false, problem: "peer_node_2 Active" },
  },
  { kind: "host", event: { kind: "bgp", host: "node-1", ok: true, problem: "" } },
  { kind: "host", event: { kind: "applying", host: "node-1", phase: "removals", steps: 1 } },
  { kind: "host", event: { kind: "verified", host: "node-1", converged: true } },
  {
    kind: "applied",
    results: [
      result("node-1", "converged"),
      result("node-2", "failed", [
        "node-2: ip -batch failed at line 1: Error: Nexthop has invalid gateway.",
      ]),
    ],
  },
];

async function render(events: readonly ConvergeRunEvent[]) {
  const io = capture();
  const view = jsonConvergeView("apply", io.output, () => new Date("2026-01-02T03:04:05.678Z"));
  view.observeProgress(["node-1", "node-2", "node-3"]).finish("node-1", true);
  for (const event of events) view.show(event);
  await view.close();
  return { ...io, lines: io.out.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("jsonConvergeView", () => {
  it("writes one schema-valid JSON object per line, nothing on stderr", async () => {
    const { out, err, lines } = await render(everything);
    expect(err).toEqual([]);
    for (const line of out) expect(line).not.toContain("\n");
    for (const line of lines) {
      expect(validate(line), `${JSON.stringify(line)}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
      expect(line["v"]).toBe(EVENTS_JSON_VERSION);
      expect(line["time"]).toBe("2026-01-02T03:04:05.678Z");
    }
    expect(lines.map((line) => [line["type"], line["host"]])).toEqual([
      ["observed", "node-1"],
      ["started", undefined],
      ["observe-failed", "node-3"],
      ["planned", "node-1"],
      ["planned", "node-2"],
      ["planned", "node-3"],
      ["plan", undefined],
      ["stale", "node-2"],
      ["building", "node-1"],
      ["step-failed", "node-2"],
      ["waiting", "node-1"],
      ["bgp-established", "node-1"],
      ["removing", "node-1"],
      ["verified", "node-1"],
      ["failed", "node-2"],
      ["done", undefined],
    ]);
  });

  it("writes a held host's line: its removals, the hosts that failed, the report's words", async () => {
    const message =
      "node-1: removals held (3 deletes): node-2 failed before the remove phase, and its old paths may still use what they would delete; run apply again once node-2 is fixed";
    const held = { removals: 3, failed: ["node-2"] };
    const { lines } = await render([
      { kind: "host", event: { kind: "held", host: "node-1", held, message } },
    ]);
    for (const line of lines) {
      expect(validate(line), `${JSON.stringify(line)}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
    expect(lines[1]).toEqual({
      v: 1,
      type: "held",
      time: "2026-01-02T03:04:05.678Z",
      host: "node-1",
      removals: 3,
      failed: ["node-2"],
      message,
    });
  });

  it("writes a failed host's rollback: its script starting, then how the host was left", async () => {
    const { lines } = await render([
      { kind: "host", event: { kind: "applying", host: "node-2", phase: "rollback", steps: 3 } },
      {
        kind: "rollback",
        host: "node-2",
        cause: "failed",
        failure: "node-2: bridge -batch failed at line 1 (fdb append …): Error: …",
        code: "apply.step-failed",
        state: "rolled-back",
        changes: 9,
        roundTrips: 3,
        problems: [],
      },
      {
        kind: "rollback",
        host: "node-1",
        cause: "another-host-failed",
        state: "incomplete",
        changes: 2,
        roundTrips: 3,
        problems: ["node-1: rollback incomplete: …: link flannel.1: missing"],
      },
    ]);
    for (const line of lines) {
      expect(validate(line), `${JSON.stringify(line)}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
    expect(lines.map((line) => [line["type"], line["host"], line["state"]])).toEqual([
      ["observed", "node-1", undefined],
      ["rolling-back", "node-2", undefined],
      ["rollback", "node-2", "rolled-back"],
      ["rollback", "node-1", "incomplete"],
    ]);
    expect(lines[2]).toMatchObject({ cause: "failed", code: "apply.step-failed", changes: 9 });
    expect(lines[3]).not.toHaveProperty("failure");
  });

  it("counts the plan as plan does: each change once, a replace as one replace", async () => {
    const { lines } = await render([{ kind: "planned", plan }]);
    expect(lines[1]).toMatchObject({
      add: 1,
      change: 0,
      replace: 1,
      destroy: 0,
      conflicts: [],
      errors: [],
    });
    expect(lines[3]).toMatchObject({
      conflicts: ["route 10.1.1.0/24 exists"],
      errors: ["node-3: cannot reach 192.0.2.13 over ssh"],
    });
    expect(lines[4]).toMatchObject({
      type: "plan",
      hosts: 3,
      changing: 2,
      add: 1,
      change: 0,
      replace: 1,
      destroy: 1,
      conflicts: 1,
      errors: 1,
    });
  });

  it("ends with done: applied, failed, or why nothing was applied", async () => {
    const last = async (events: ConvergeRunEvent[]) => (await render(events)).lines.at(-1);
    expect(await last(everything)).toMatchObject({
      type: "done",
      verb: "apply",
      outcome: "failed",
      hosts: 2,
      changes: 1,
      failed: 1,
    });
    expect(
      await last([{ kind: "applied", results: [result("node-1", "converged")] }]),
    ).toMatchObject({ outcome: "applied", hosts: 1, changes: 1, failed: 0 });
    expect(await last([{ kind: "stopped", reason: "no-changes" }])).toMatchObject({
      outcome: "no-changes",
    });
    for (const reason of ["stale", "not-applicable"] as const) {
      const done = await last([{ kind: "stopped", reason }]);
      expect(done).toMatchObject({ outcome: "refused", reason });
      expect(validate(done)).toBe(true);
    }
  });

  it("writes confirm-timeout reverts and an interrupted run's armed hosts as the schema allows", async () => {
    const { lines } = await render([
      { kind: "revert", host: "node-1", state: "fired-earlier", message: "node-1: …" },
      { kind: "interrupting" },
      {
        kind: "interrupted",
        hosts: [
          {
            host: "node-2",
            state: "built",
            applied: 12,
            armedRevert: {
              firesAtMs: Date.now() + 42_000,
              disarm: "netplan-k disarm t.yaml --limit node-2",
            },
          },
        ],
      },
    ]);
    for (const line of lines) {
      expect(validate(line), `${JSON.stringify(line)}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
    expect(lines.map((line) => [line["type"], line["host"], line["state"]])).toEqual([
      ["observed", "node-1", undefined],
      ["revert", "node-1", "fired-earlier"],
      ["interrupting", undefined, undefined],
      ["left", "node-2", "built"],
      ["done", undefined, undefined],
    ]);
    expect(lines[3]?.["revert"]).toMatch(
      /^its armed revert fires at .* netplan-k disarm t.yaml --limit node-2 keeps the change$/,
    );
  });

  it("has a schema that rejects what the format does not allow", () => {
    const good = {
      v: 1,
      type: "verified",
      time: "2026-01-02T03:04:05.678Z",
      host: "a",
      converged: true,
    };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, v: 2 })).toBe(false);
    expect(validate({ ...good, converged: "yes" })).toBe(false);
    expect(validate({ ...good, extra: 1 })).toBe(false);
    expect(validate({ ...good, time: "yesterday" })).toBe(false);
    expect(validate({ ...good, type: "unheard-of" })).toBe(false);
  });
});
