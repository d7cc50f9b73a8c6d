import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type ApplyPipelineOutcome,
  type ConvergeRunEvent,
  type OnFailure,
} from "../../src/applier/index.js";
import { APPLY_KIND, stepSection } from "../../src/applier/apply-script.js";
import type { LockOwner } from "../../src/applier/host-lock-script.js";
import type { HostState, Link, Route } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/index.js";
import { OBSERVATION_SCRIPT, parseObservation } from "../../src/observe/index.js";
import {
  describeOwnedDifferences,
  planRollback,
  planTopology,
  type Change,
  type OwnerScope,
} from "../../src/planner/index.js";
import { formatRemoteOutput } from "../../src/remote/index.js";
import { MARKER } from "../../src/remote/remote-script.js";
import { TransportError } from "../../src/transport/index.js";
import {
  answer,
  applySucceeds,
  createFakeTransport,
  observationText,
  type FakeResponse,
  type FakeTransport,
} from "./fake-transport.js";
import { runOnFakeHosts, vxlanDemo } from "./run-on-fake-hosts.js";

// Rollback on failure (issue 11, point 2): the rollback's plan (planRollback, pure) against
// recorded observations of the vxlan-demo hosts (test/fixtures/converged/vxlan, made in the
// lab: test/fixtures/README.md), then the pipeline through its public entry with fake
// transports that fail the build, the removals or the verification, under each --on-failure.

const convergedText = (host: string): string =>
  readFileSync(`test/fixtures/converged/vxlan/${host}.txt`, "utf8");
const UNDERLAY: Readonly<Record<string, string>> = {
  "node-1": "192.168.64.5/24",
  "node-2": "192.168.64.6/24",
  "node-3": "192.168.64.7/24",
};
const HOSTS = ["node-1", "node-2", "node-3"] as const;
const freshText = (host: string): string =>
  observationText({ underlayAddress: UNDERLAY[host] as string });
const stateOf = (host: string, text: string): HostState => parseObservation(host, text).state;

const ownerOf = async (): Promise<OwnerScope> => {
  const compiled = compileTopology(await vxlanDemo());
  return { topology: compiled.topology, clusterCidr: compiled.clusterCidr };
};

const identity = (change: Change): string => `${change.kind} ${change.netns ?? ""} ${change.key}`;

describe("planRollback: from a fresh observation back to the pre-apply owned state", () => {
  it("changes nothing on a host that holds what it held", async () => {
    const owner = await ownerOf();
    for (const host of HOSTS) {
      for (const text of [freshText(host), convergedText(host)]) {
        expect(planRollback(owner, stateOf(host, text), stateOf(host, text)).changes).toEqual([]);
        expect(describeOwnedDifferences(owner, stateOf(host, text), stateOf(host, text))).toEqual(
          [],
        );
      }
    }
  });

  it("undoes exactly what a whole apply did: each created object deleted, each update reverted", async () => {
    const topology = await vxlanDemo();
    const owner = await ownerOf();
    for (const host of HOSTS) {
      const before = stateOf(host, freshText(host));
      const after = stateOf(host, convergedText(host));
      const forward = planTopology({
        desired: compileTopology(topology),
        observed: [parseObservation(host, freshText(host))],
        against: "hosts",
      }).hosts.find((h) => h.host === host)?.changes;
      const rollback = planRollback(owner, before, after).changes;
      // Every link and namespace the apply created goes, and with them what lives on or in
      // them (the kernel removes that, so it is not deleted one by one); the sysctls it set
      // are set back.
      const created = (forward ?? []).filter((c) => c.action === "create");
      const containers = (c: Change) => c.kind === "link" || c.kind === "namespace";
      const deleted = rollback.filter((c) => c.action === "delete");
      expect(new Set(deleted.map(identity))).toEqual(
        new Set(created.filter(containers).map(identity)),
      );
      const goneLinks = new Set(deleted.filter((c) => c.kind === "link").map((c) => c.key));
      const goneNamespaces = new Set(
        deleted.filter((c) => c.kind === "namespace").map((c) => c.key),
      );
      for (const change of created.filter((c) => !containers(c))) {
        const dev = (change.after as { readonly dev?: string } | undefined)?.dev;
        const onGone =
          (change.netns !== undefined && goneNamespaces.has(change.netns)) ||
          (dev !== undefined && goneLinks.has(dev));
        expect(onGone, identity(change)).toBe(true);
      }
      for (const change of rollback.filter((c) => c.kind === "sysctl")) {
        const was = before.sysctls.find((s) => s.key === change.key);
        expect(change.after).toEqual(was);
      }
      expect(rollback.every((c) => c.action !== "create")).toBe(true);
    }
  });

  it("recreates what the apply removed, field for field as it was observed", async () => {
    const owner = await ownerOf();
    const before = stateOf("node-1", convergedText("node-1"));
    // The apply's removals ran, its build did not: flannel.1 (and what lived on it) went.
    const after: HostState = {
      ...before,
      root: {
        ...before.root,
        links: before.root.links.filter((l) => l.name !== "flannel.1"),
        addresses: before.root.addresses.filter((a) => a.dev !== "flannel.1"),
        routes: before.root.routes.filter((r) => r.dev !== "flannel.1"),
        neighbours: before.root.neighbours.filter((n) => n.dev !== "flannel.1"),
        fdb: before.root.fdb.filter((f) => f.dev !== "flannel.1"),
      },
    };
    const rollback = planRollback(owner, before, after).changes;
    const flannel = rollback.find((c) => c.kind === "link" && c.key === "flannel.1");
    expect(flannel?.action).toBe("create");
    expect(flannel?.after).toEqual(before.root.links.find((l) => l.name === "flannel.1"));
    const routes = rollback.filter((c) => c.kind === "route").map((c) => c.after);
    expect(routes).toEqual(
      expect.arrayContaining(
        before.root.routes.filter((r) => r.dev === "flannel.1" && r.protocol === 77),
      ),
    );
    expect(describeOwnedDifferences(owner, before, after)).toContain("link flannel.1: missing");
  });

  it("never touches a foreign object, even one that came or changed meanwhile", async () => {
    const owner = await ownerOf();
    const before = stateOf("node-1", convergedText("node-1"));
    const foreignLink: Link = { name: "zrforeign", kind: "bridge", mtu: 1500, up: true };
    const foreignRoute: Route = {
      dst: "198.51.100.0/24",
      table: 254,
      metric: 0,
      dev: "eth0",
      onlink: false,
      protocol: "static",
    } as Route;
    const after: HostState = {
      ...before,
      root: {
        ...before.root,
        links: [...before.root.links, foreignLink],
        routes: [...before.root.routes, foreignRoute],
      },
    };
    expect(planRollback(owner, before, after).changes).toEqual([]);
    expect(describeOwnedDifferences(owner, before, after)).toEqual([]);
  });

  it("leaves what the kernel chose alone: a bridge's MAC and its dynamic neighbours", async () => {
    const owner = await ownerOf();
    const converged = stateOf("node-1", convergedText("node-1"));
    const bridge = converged.root.links.find((l) => l.kind === "bridge");
    expect(bridge, "the vxlan demo's node-1 has a bridge").toBeDefined();
    const dev = bridge?.name ?? "";
    const learned = { dev, dst: "10.244.1.7", lladdr: "02:00:00:00:00:07", permanent: false };
    const before: HostState = {
      ...converged,
      root: {
        ...converged.root,
        links: converged.root.links.map((l) =>
          l.name === dev ? { ...l, mac: "6a:f6:c0:72:84:8a" } : l,
        ),
        neighbours: [...converged.root.neighbours, learned],
      },
    };
    // A port with a lower MAC joined and left: the bridge took another MAC and the kernel
    // flushed its learned neighbours. Neither is netplan-k's to put back.
    const after: HostState = {
      ...before,
      root: {
        ...before.root,
        links: before.root.links.map((l) =>
          l.name === dev ? { ...l, mac: "02:00:00:00:00:01" } : l,
        ),
        neighbours: converged.root.neighbours,
      },
    };
    expect(planRollback(owner, before, after).changes).toEqual([]);
    expect(describeOwnedDifferences(owner, before, after)).toEqual([]);
  });

  it("names what still differs when an owned link came back otherwise", async () => {
    const owner = await ownerOf();
    const before = stateOf("node-1", convergedText("node-1"));
    const after: HostState = {
      ...before,
      root: {
        ...before.root,
        links: before.root.links.map((l) => (l.name === "flannel.1" ? { ...l, mtu: 1400 } : l)),
      },
    };
    const differences = describeOwnedDifferences(owner, before, after);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatch(/^link flannel\.1: .*mtu 1400 → 1450/);
  });
});

// ---- the pipeline, with fake hosts ----

/** The apply script's output when its step `failing` fails with the kernel's `message`. */
const applyFails =
  (failing: number, message: string): FakeResponse =>
  (call) => {
    const steps = (call.stdin ?? "").match(/^ {2}nk_run \d+$/gm)?.length ?? 0;
    const sections = Array.from({ length: Math.min(steps, failing) }, (_, i) => ({
      name: stepSection(i + 1),
      body: "",
      ...(i + 1 === failing && {
        stderr: `${message}\nCommand failed -:1`,
        exitCode: 2,
      }),
    }));
    return { exitCode: 1, stdout: formatRemoteOutput(APPLY_KIND, sections), stderr: "" };
  };

const KERNEL_SAYS = "Error: Nexthop has invalid gateway.";

/** runOnFakeHosts with an --on-failure choice and the run's own lock owner. */
const run = (transports: readonly FakeTransport[], onFailure?: OnFailure, lock?: LockOwner) =>
  runOnFakeHosts(transports, {
    ...(onFailure !== undefined && { onFailure }),
    ...(lock !== undefined && { lock: { owner: lock, timeoutMs: 0 } }),
  });

const resultsOf = (outcome: ApplyPipelineOutcome) => {
  if (outcome.kind !== "applied") throw new Error(`not applied: ${JSON.stringify(outcome)}`);
  return new Map(outcome.results.map((r) => [r.host, r]));
};
const rollbackEvents = (events: readonly ConvergeRunEvent[]) =>
  events.filter((e) => e.kind === "rollback");
/** "node-1 another-host-failed rolled-back": each rollback event's host, cause and state, sorted. */
const rollbackCauses = (events: readonly ConvergeRunEvent[]): string[] =>
  rollbackEvents(events)
    .map((e) => (e.kind === "rollback" ? `${e.host} ${e.cause} ${e.state}` : ""))
    .sort();
/** rollbackCauses of rollback-all after node-2 failed. */
const ALL_ROLLED_BACK = [
  "node-1 another-host-failed rolled-back",
  "node-2 failed rolled-back",
  "node-3 another-host-failed rolled-back",
];

/**
 * node-2's build fails at its first step, half built (it answers the next observation with
 * the converged listing); node-1 and node-3 converge, and answer a rollback as node-2 does.
 */
const buildFailsOnNode2 = (): FakeTransport[] =>
  HOSTS.map((host) =>
    createFakeTransport(
      host,
      host === "node-2"
        ? [
            answer(freshText(host)),
            applyFails(1, KERNEL_SAYS),
            answer(convergedText(host)),
            applySucceeds,
            answer(freshText(host)),
          ]
        : [
            answer(freshText(host)),
            applySucceeds,
            answer(convergedText(host)),
            answer(convergedText(host)),
            applySucceeds,
            answer(freshText(host)),
          ],
    ),
  );

const self: LockOwner = {
  run: "r011",
  user: "root",
  controller: "ctl",
  pid: 1,
  since: "2026-11-29T00:00:00Z",
  verb: "apply",
};
/**
 * A take prints its lock section first inside the framing, as the host's side does
 * (host-lock-script.ts); a check or release that succeeds changes nothing a test reads.
 */
const locked =
  (text: string): FakeResponse =>
  (call) => ({
    exitCode: 0,
    stdout: call.stdin?.includes("nk_section lock nk_lock_take")
      ? text.replace(/^(.*\n)/, `$1${MARKER}section:lock\ntaken\n${MARKER}exit:0\n`)
      : text,
    stderr: "",
  });

describe("runApplyPipeline on failure: rollback-host, rollback-all, keep", () => {
  it("rollback-host (the default): the failed host is put back and proven; the others stay", async () => {
    const transports = buildFailsOnNode2();
    const { outcome, events } = await run(transports);
    const results = resultsOf(outcome);
    expect(results.get("node-2")?.outcome).toBe("failed");
    expect(results.get("node-2")?.rollback).toEqual({
      state: "rolled-back",
      changes: expect.any(Number),
      roundTrips: 3,
    });
    expect(results.get("node-1")?.outcome).toBe("converged");
    const [node2] = transports.slice(1, 2);
    // observe, build, then the rollback: observe, script, observe to prove.
    expect(node2?.calls.map((c) => c.stdin === OBSERVATION_SCRIPT)).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(node2?.calls[3]?.stdin).toContain("link del dev flannel.1");
    expect(node2?.calls[3]?.stdin).not.toMatch(/dev eth0\b.*del|link del dev eth0/);
    expect(transports[0]?.calls).toHaveLength(3);
    expect(rollbackEvents(events)).toEqual([
      {
        kind: "rollback",
        host: "node-2",
        cause: "failed",
        failure: expect.stringMatching(
          /^node-2: \S+ failed at line 1 \(.+\): Error: Nexthop has invalid gateway\.$/,
        ),
        code: "apply.step-failed",
        state: "rolled-back",
        changes: expect.any(Number),
        roundTrips: 3,
        problems: [],
      },
    ]);
  });

  it("rollback-all: every host this run changed is put back, verified ones included", async () => {
    const transports = buildFailsOnNode2();
    const { outcome, events } = await run(transports, "rollback-all");
    const results = resultsOf(outcome);
    expect(results.get("node-1")?.outcome).toBe("rolled-back");
    expect(results.get("node-3")?.rollback?.state).toBe("rolled-back");
    expect(results.get("node-2")?.rollback?.state).toBe("rolled-back");
    for (const transport of transports) {
      expect(transport.calls.at(-2)?.stdin).toContain("link del dev flannel.1");
    }
    expect(rollbackCauses(events)).toEqual(ALL_ROLLED_BACK);
  });

  it("keep: the failed host is left as it failed, not contacted again", async () => {
    const transports = buildFailsOnNode2();
    const { outcome, events } = await run(transports, "keep");
    // What the host was left holding: the report says how far its plan got.
    expect(resultsOf(outcome).get("node-2")?.rollback).toEqual({
      state: "kept",
      changes: 0,
      roundTrips: 0,
      kept: { ran: 0, planned: expect.any(Number) },
    });
    expect(transports[1]?.calls).toHaveLength(2);
    expect(rollbackEvents(events)).toMatchObject([
      {
        host: "node-2",
        cause: "failed",
        state: "kept",
        failure: expect.stringContaining(KERNEL_SAYS),
      },
    ]);
  });

  it("a host cut off mid-apply: says once which host, that nothing was rolled back, and why", async () => {
    const cut = () => {
      throw new TransportError(
        "transport.unreachable",
        "node-2",
        "ssh: connect to host 192.0.2.1 port 22: No route to host",
      );
    };
    const transports = HOSTS.map((host) =>
      createFakeTransport(
        host,
        host === "node-2"
          ? [answer(freshText(host)), cut]
          : [answer(freshText(host)), applySucceeds, answer(convergedText(host))],
      ),
    );
    const { outcome } = await run(transports, "rollback-host");
    const errors =
      resultsOf(outcome)
        .get("node-2")
        ?.errors.map((error) => error.message) ?? [];
    expect(errors).toEqual([
      "node-2: rollback incomplete: nothing was rolled back; what this run changed there stays " +
        "until the host answers again (ssh: connect to host 192.0.2.1 port 22: No route to " +
        "host); run apply again then",
    ]);
  });

  it("says rollback incomplete, and what differs, when the proof does not hold", async () => {
    const transports = HOSTS.map((host) =>
      createFakeTransport(
        host,
        host === "node-2"
          ? [
              answer(freshText(host)),
              applyFails(1, KERNEL_SAYS),
              answer(convergedText(host)),
              applySucceeds,
              answer(convergedText(host)),
            ]
          : [answer(freshText(host)), applySucceeds, answer(convergedText(host))],
      ),
    );
    const { outcome, events } = await run(transports);
    const result = resultsOf(outcome).get("node-2");
    expect(result?.rollback?.state).toBe("incomplete");
    expect(result?.errors.map((e) => e.code)).toContain("apply.rollback-incomplete");
    const event = rollbackEvents(events)[0];
    expect(event).toMatchObject({ host: "node-2", state: "incomplete" });
    expect(event?.kind === "rollback" && event.problems.join("\n")).toMatch(
      /^node-2: rollback incomplete: .*link flannel\.1/,
    );
    // The failure is what failed before the rollback; its own problems are said apart.
    expect(event?.kind === "rollback" && event.failure).toContain(KERNEL_SAYS);
    expect(event?.kind === "rollback" && event.failure).not.toContain("rollback incomplete");
  });

  it("removals fail: the host is put back, what its build made undone and its removals redone", async () => {
    // A stale owned route (proto 77, inside the cluster) is removed after the build.
    const stale = {
      dst: "10.1.99.0/24",
      dev: "eth0",
      gateway: "192.168.64.9",
      protocol: "77",
      scope: "global",
      flags: ["onlink"],
    };
    const before = (host: string) =>
      observationText({ underlayAddress: UNDERLAY[host] as string, routes: [stale] });
    const transports = HOSTS.map((host) =>
      createFakeTransport(
        host,
        host === "node-3"
          ? [
              answer(before(host)),
              applySucceeds,
              applyFails(1, "RTNETLINK answers: Operation not permitted"),
              answer(convergedText(host)),
              applySucceeds,
              answer(before(host)),
            ]
          : [answer(before(host)), applySucceeds, applySucceeds, answer(convergedText(host))],
      ),
    );
    const { outcome, events } = await run(transports);
    expect(resultsOf(outcome).get("node-3")?.rollback?.state).toBe("rolled-back");
    const rollbackScript = transports[2]?.calls[4]?.stdin ?? "";
    expect(rollbackScript).toContain("link del dev flannel.1");
    expect(rollbackScript).toMatch(/route (replace|add) 10\.1\.99\.0\/24/);
    expect(rollbackEvents(events)).toMatchObject([
      {
        host: "node-3",
        cause: "failed",
        failure: expect.stringContaining("Operation not permitted"),
      },
    ]);
  });

  it("verification fails: the lock is taken again, renewed by the rollback, released by the proof", async () => {
    const transports = HOSTS.map((host) =>
      createFakeTransport(
        host,
        host === "node-1"
          ? [
              locked(freshText(host)),
              applySucceeds,
              // Verified: it holds node-2's objects (drift), then rolled back.
              locked(convergedText("node-2")),
              locked(convergedText("node-2")),
              applySucceeds,
              locked(freshText(host)),
            ]
          : [locked(freshText(host)), applySucceeds, locked(convergedText(host))],
      ),
    );
    const { outcome } = await run(transports, undefined, self);
    const result = resultsOf(outcome).get("node-1");
    expect(result?.errors[0]?.code).toBe("apply.drift");
    expect(result?.rollback?.state).toBe("rolled-back");
    const calls = transports[0]?.calls ?? [];
    expect(calls[2]?.stdin).toContain("nk_section lock nk_lock_release");
    expect(calls[3]?.stdin).toContain("nk_section lock nk_lock_take");
    expect(calls[4]?.stdin).toContain("nk_section lock nk_lock_check");
    expect(calls[5]?.stdin).toContain("nk_section lock nk_lock_release");
    // Released by the proof: no release script after it.
    expect(calls).toHaveLength(6);
  });
});

describe("a rollback whose script failed, though the proof held", () => {
  it("says rolled back and that its script failed (the kernel refused one of its commands)", async () => {
    const transports = HOSTS.map((host) =>
      createFakeTransport(
        host,
        host === "node-2"
          ? [
              answer(freshText(host)),
              applyFails(1, KERNEL_SAYS),
              answer(convergedText(host)),
              applyFails(1, "RTNETLINK answers: Device or resource busy"),
              answer(freshText(host)),
            ]
          : [answer(freshText(host)), applySucceeds, answer(convergedText(host))],
      ),
    );
    const { outcome, events } = await run(transports);
    expect(resultsOf(outcome).get("node-2")?.rollback?.state).toBe("rolled-back");
    const event = rollbackEvents(events)[0];
    expect(event).toMatchObject({ host: "node-2", state: "rolled-back" });
    expect(event?.kind === "rollback" && event.problems).toEqual([
      expect.stringMatching(
        /^node-2: the rollback script failed: .* failed \(.*\): RTNETLINK answers: Device or resource busy$/,
      ),
    ]);
  });
});

describe("runApplyPipeline: removals held while another host failed", () => {
  /**
   * vxlan-demo renumbered to VNI 2 on its converged hosts: each builds flannel.2 and removes
   * flannel.1; node-2's build fails at its first step. Every host answers every observation
   * with its pre-apply listing (so a rollback finds nothing to undo: proven in one round trip).
   */
  const renumberedWithNode2Failing = async (onFailure?: OnFailure) => {
    const topology = await vxlanDemo();
    const renumbered = {
      ...topology,
      cluster: { ...topology.cluster, vxlan: { ...topology.cluster.vxlan, vni: 2 } },
    };
    const transports = HOSTS.map((host) =>
      createFakeTransport(
        host,
        host === "node-2"
          ? [locked(convergedText(host)), applyFails(1, KERNEL_SAYS), locked(convergedText(host))]
          : [locked(convergedText(host)), applySucceeds, locked(convergedText(host))],
      ),
    );
    const ran = await runOnFakeHosts(transports, {
      desiredOf: async () => compileTopology(renumbered),
      lock: { owner: self, timeoutMs: 0 },
      ...(onFailure !== undefined && { onFailure }),
    });
    return { ...ran, transports, results: resultsOf(ran.outcome) };
  };
  const isRelease = (stdin: string | undefined): boolean =>
    stdin !== undefined &&
    stdin.includes("nk_section lock nk_lock_release") &&
    !stdin.includes("ip -j");

  it.each(["rollback-host", "keep"] as const)(
    "--on-failure %s: node-1 and node-3 stay built, unverified, held; each lock goes in one round trip",
    async (onFailure) => {
      const { events, transports, results } = await renumberedWithNode2Failing(onFailure);
      expect(results.get("node-2")?.outcome).toBe("failed");
      for (const [index, host] of [
        [0, "node-1"],
        [2, "node-3"],
      ] as const) {
        const result = results.get(host);
        expect(result?.outcome).toBe("held");
        expect(result?.held).toEqual({ removals: 1, failed: ["node-2"] });
        expect(result?.rollback).toBeUndefined();
        const calls = transports[index]?.calls ?? [];
        // observe (taking the lock), build, release: 3 round trips, where a converging host
        // takes 4 (observe, build, remove, verify releasing the lock).
        expect(calls).toHaveLength(3);
        expect(calls.some((call) => call.stdin?.includes("link del dev flannel.1"))).toBe(false);
        expect(isRelease(calls[2]?.stdin)).toBe(true);
      }
      expect(events).toContainEqual({ kind: "phase", phase: "remove", hosts: [] });
      expect(events).toContainEqual({ kind: "phase", phase: "verify", hosts: [] });
      const hostEvents = events.flatMap((e) => (e.kind === "host" ? [e.event] : []));
      expect(hostEvents.filter((e) => e.kind === "verified")).toEqual([]);
      expect(hostEvents.filter((e) => e.kind === "held").map((e) => e.host)).toEqual([
        "node-1",
        "node-3",
      ]);
    },
  );

  it("--on-failure rollback-all: the held hosts are put back too", async () => {
    const { events, results } = await renumberedWithNode2Failing("rollback-all");
    for (const host of ["node-1", "node-3"]) {
      expect(results.get(host)?.outcome).toBe("rolled-back");
      expect(results.get(host)?.held).toEqual({ removals: 1, failed: ["node-2"] });
      expect(results.get(host)?.rollback?.state).toBe("rolled-back");
    }
    expect(rollbackCauses(events)).toEqual(ALL_ROLLED_BACK);
  });
});
