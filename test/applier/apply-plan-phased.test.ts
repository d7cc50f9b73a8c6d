import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  applyPlanPhased,
  renderApplyScript,
  splitPlanPhases,
  type ConvergeEvent,
  type ConvergeResult,
} from "../../src/applier/index.js";
import {
  emptyHostState,
  type BgpExpectation,
  type DesiredState,
  type HostState,
} from "../../src/model/index.js";
import { APPLY_KIND, stepSection } from "../../src/applier/apply-script.js";
import { verificationScript } from "../../src/applier/verify-host.js";
import { formatRemoteOutput } from "../../src/remote/index.js";
import { compileTopology } from "../../src/modes/index.js";
import { observeHost, OBSERVATION_SCRIPT, parseObservation } from "../../src/observe/index.js";
import { fingerprintHostState, planTopology } from "../../src/planner/index.js";
import type { HostPlan } from "../../src/planner/plan.js";
import { loadTopologyFile } from "../../src/topology/index.js";
import type { Topology } from "../../src/topology/topology.js";
import type { RunOptions, RunResult } from "../../src/transport/index.js";
import {
  answer,
  applySucceeds,
  applySucceedsThenObserves,
  bgpPollAnswer,
  createFakeTransport,
  observationText,
  type FakeResponse,
  type FakeTransport,
} from "./fake-transport.js";
import { change, link, route } from "./changes.js";
import { modes } from "../../src/modes/registry.js";

const converged = (host: string): string =>
  readFileSync(`test/fixtures/converged/vxlan/${host}.txt`, "utf8");
const empty = observationText();
const birdFixture = (name: string): string => readFileSync(`test/applier/fixtures/${name}`, "utf8");

async function topologyOf(example: string): Promise<Topology> {
  const loaded = await loadTopologyFile(`examples/${example}.yaml`, modes);
  if (!loaded.ok) throw new Error(`examples/${example}.yaml is invalid`);
  return loaded.topology;
}

const desiredOf = async (example: string): Promise<DesiredState> =>
  compileTopology(await topologyOf(example));

/** vxlan-demo with VNI 2: a new VTEP to create, flannel.1 to delete on every host. */
async function renumberedVxlan(): Promise<DesiredState> {
  const topology = await topologyOf("vxlan");
  return compileTopology({
    ...topology,
    cluster: { ...topology.cluster, vxlan: { ...topology.cluster.vxlan, vni: 2 } },
  });
}

const stateOf = (desired: DesiredState, host: string): HostState => {
  const state = desired.hosts.find((h) => h.host === host)?.state;
  if (state === undefined) throw new Error(`no host ${host}`);
  return state;
};

/**
 * What the CLI does: observe every host (round trip 1), plan, then the phased apply. `plans`
 * replaces a host's plan (a saved plan, applied as it is).
 */
async function converge(
  desired: DesiredState,
  transports: readonly FakeTransport[],
  options: {
    readonly plans?: Readonly<Record<string, HostPlan>>;
    readonly desiredStates?: Readonly<Record<string, HostState>>;
    /** What a host waits for once built (compiled: HostWaits.bgp). */
    readonly bgp?: Readonly<Record<string, BgpExpectation>>;
    readonly onEvent?: (event: ConvergeEvent) => void;
    readonly bgpTimeoutMs?: number;
    /** Check each host's compiled requirements (preconditions) before planning it. */
    readonly checkRequirements?: boolean;
  } = {},
): Promise<ConvergeResult[]> {
  const observed = await Promise.all(transports.map((t) => observeHost(t)));
  const states = transports.map((t) => options.desiredStates?.[t.host] ?? stateOf(desired, t.host));
  const plan = planTopology({
    desired: {
      topology: desired.topology,
      clusterCidr: desired.clusterCidr,
      hosts: transports.map((t, i) => ({
        host: t.host,
        state: states[i] as HostState,
        ...(options.checkRequirements === true && {
          requirements: desired.hosts.find((h) => h.host === t.host)?.requirements,
        }),
      })),
    },
    observed,
    against: "hosts",
  });
  return applyPlanPhased({
    topology: desired.topology,
    clusterCidr: desired.clusterCidr,
    parallelism: 4,
    bgpPollIntervalMs: 10,
    ...(options.bgpTimeoutMs !== undefined && { bgpTimeoutMs: options.bgpTimeoutMs }),
    ...(options.onEvent !== undefined && { onEvent: options.onEvent }),
    hosts: transports.map((transport, i) => ({
      transport,
      desired: states[i] as HostState,
      plan: options.plans?.[transport.host] ?? (plan.hosts[i] as HostPlan),
      observed: observed[i],
      ...(options.bgp?.[transport.host] !== undefined && { bgp: options.bgp[transport.host] }),
    })),
  });
}

async function convergeOne(
  desired: DesiredState,
  transport: FakeTransport,
  options: Parameters<typeof converge>[2] = {},
): Promise<ConvergeResult> {
  const [result] = await converge(desired, [transport], options);
  if (result === undefined) throw new Error("no result");
  return result;
}

const isObservation = (stdin: string | undefined): boolean => stdin === OBSERVATION_SCRIPT;
/** The verification's own round trip: the state alone (STATE_OBSERVATION). */
const isVerification = (stdin: string | undefined): boolean => stdin === verificationScript();

/** An apply whose steps before `step` succeed and whose step `step` fails at its line 2. */
const failingStep = (step: number) =>
  answer(
    formatRemoteOutput(APPLY_KIND, [
      ...Array.from({ length: step - 1 }, (_, index) => ({
        name: stepSection(index + 1),
        body: "",
      })),
      {
        name: stepSection(step),
        body: "",
        stderr: "RTNETLINK answers: File exists\nCommand failed -:2",
        exitCode: 1,
      },
    ]),
    1,
  );

describe("splitPlanPhases", () => {
  it("cuts a plan before its trailing deletes, keeping the order of each part", async () => {
    const desired = await renumberedVxlan();
    const plan = planTopology({
      desired: { ...desired, hosts: [{ host: "node-1", state: stateOf(desired, "node-1") }] },
      observed: [parseObservation("node-1", converged("node-1"))],
      against: "hosts",
    }).hosts[0] as HostPlan;
    const { build, removals } = splitPlanPhases(plan.changes);
    expect(removals.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual([
      "delete link flannel.1",
    ]);
    expect(build.length).toBeGreaterThan(0);
    expect([...build, ...removals]).toEqual(plan.changes);
  });

  it("keeps a delete the planner put before a create in build", () => {
    const gateway = change({
      kind: "address",
      action: "delete",
      before: { dev: "flannel.1", cidr: "10.244.1.0/32" },
    });
    const peerRoute = change({
      kind: "route",
      action: "create",
      after: route("10.244.1.0/24", { via: "10.244.1.0", dev: "flannel.1", onlink: true }),
    });
    const old = change({ kind: "link", action: "delete", before: link("br9") });
    expect(splitPlanPhases([gateway, peerRoute, old])).toEqual({
      build: [gateway, peerRoute],
      removals: [old],
    });
  });
});

describe("applyPlanPhased with fake transports", () => {
  it("contacts a host with nothing to do no more: one round trip", async () => {
    const transport = createFakeTransport("node-1", [answer(converged("node-1"))]);
    const result = await convergeOne(await desiredOf("vxlan"), transport);
    expect(result.outcome).toBe("unchanged");
    expect(result.roundTrips).toBe(1);
    expect(result.applied).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(transport.calls).toEqual([{ argv: ["sh", "-s"], stdin: OBSERVATION_SCRIPT }]);
  });

  it("builds and verifies in one script: two round trips when nothing is deleted", async () => {
    const transport = createFakeTransport("node-1", [
      answer(empty),
      applySucceedsThenObserves(converged("node-1")),
    ]);
    const events: ConvergeEvent[] = [];
    const result = await convergeOne(await desiredOf("vxlan"), transport, {
      onEvent: (e) => events.push(e),
    });
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.outcome).toBe("converged");
    expect(result.roundTrips).toBe(2);
    expect(transport.calls.map((call) => call.argv)).toEqual([
      ["sh", "-s"],
      ["sh", "-s"],
    ]);
    const plan = result.plan;
    expect(plan.changes.length).toBeGreaterThan(10);
    const script = transport.calls[1]?.stdin ?? "";
    expect(script.startsWith(renderApplyScript(plan.changes))).toBe(true);
    expect(script.endsWith(verificationScript())).toBe(true);
    expect(result.applied).toEqual(plan.changes);
    expect(result.observed).toEqual(parseObservation("node-1", empty));
    expect(events.map((e) => e.kind)).toEqual([
      "applying",
      ...Array.from({ length: 12 }, () => "step"),
      "verified",
    ]);
    expect(events[0]).toEqual({ kind: "applying", host: "node-1", phase: "build", steps: 12 });
    expect(events[1]).toEqual({
      kind: "step",
      host: "node-1",
      phase: "build",
      step: 1,
      steps: 12,
      command: "sh",
      ok: true,
    });
  });

  it("removes in a script of its own: four round trips when the plan deletes", async () => {
    const transport = createFakeTransport("node-1", [
      answer(converged("node-1")),
      applySucceeds,
      applySucceeds,
      answer(empty),
    ]);
    const result = await convergeOne(await renumberedVxlan(), transport);
    const { build, removals } = splitPlanPhases(result.plan.changes);
    expect(transport.calls[1]?.stdin).toBe(renderApplyScript(build));
    expect(transport.calls[2]?.stdin).toBe(renderApplyScript(removals));
    expect(transport.calls[2]?.stdin).toContain("link del dev flannel.1");
    expect(isVerification(transport.calls[3]?.stdin)).toBe(true);
    expect(result.roundTrips).toBe(4);
    expect(result.applied).toEqual(result.plan.changes);
    // The fake's verify answers an empty host: the drift is the result.
    expect(result.outcome).toBe("failed");
    expect(result.errors.map((e) => e.message)).toContain(
      "node-1: link cni0 is still missing after apply",
    );
    expect(new Set(result.errors.map((e) => e.code))).toEqual(new Set(["apply.drift"]));
  });

  it("skips the build round trip of a plan that only deletes (destroy)", async () => {
    const transport = createFakeTransport("node-1", [
      answer(converged("node-1")),
      applySucceeds,
      answer(empty),
    ]);
    const result = await convergeOne(await desiredOf("vxlan"), transport, {
      desiredStates: { "node-1": emptyHostState() },
    });
    expect(result.plan.changes.every((c) => c.action === "delete")).toBe(true);
    expect(transport.calls).toHaveLength(3);
    expect(result.roundTrips).toBe(3);
    expect(result.applied).toEqual(result.plan.changes);
  });

  it.each([
    [2, "build"],
    [3, "removals"],
    [4, "verify"],
  ])("turns a TransportError on call %i (%s) into a per-host failure", async (n) => {
    const transport = createFakeTransport(
      "node-1",
      [answer(converged("node-1")), applySucceeds, applySucceeds, answer(empty)],
      { failOnCall: n },
    );
    const result = await convergeOne(await renumberedVxlan(), transport);
    expect(result.outcome).toBe("failed");
    expect(result.errors.map((e) => e.message)).toEqual([
      "node-1: ssh: connect to host 192.0.2.1 port 22: No route to host",
    ]);
    expect(result.roundTrips).toBe(n);
    expect(transport.calls).toHaveLength(n);
    const { build } = splitPlanPhases(result.plan.changes);
    expect(result.applied).toEqual(n === 2 ? [] : n === 3 ? build : result.plan.changes);
  });

  it("applies a saved plan exactly", async () => {
    const desired = await desiredOf("vxlan");
    const full = planTopology({
      desired: { ...desired, hosts: [{ host: "node-1", state: stateOf(desired, "node-1") }] },
      observed: [parseObservation("node-1", empty)],
      against: "hosts",
    }).hosts[0] as HostPlan;
    // A saved plan is applied as it is, even when planning again would differ.
    const plan = { ...full, changes: full.changes.slice(0, 2) };
    const transport = createFakeTransport("node-1", [
      answer(empty),
      applySucceeds,
      answer(converged("node-1")),
    ]);
    const result = await convergeOne(desired, transport, { plans: { "node-1": plan } });
    expect(result.outcome).toBe("converged");
    expect(transport.calls[1]?.stdin?.startsWith(renderApplyScript(plan.changes))).toBe(true);
    expect(result.applied).toEqual(plan.changes);
  });

  it("refuses an edited saved plan with a hostile name before any apply call", async () => {
    const observed = parseObservation("node-1", empty);
    const plan: HostPlan = {
      host: "node-1",
      observedFingerprint: fingerprintHostState(observed.state),
      errors: [],
      conflicts: [],
      changes: [
        {
          kind: "namespace",
          action: "create",
          key: "red",
          after: { name: "red; rm -rf /" },
          reason: "namespace red: missing",
          disruptive: false,
        },
      ],
    };
    const transport = createFakeTransport("node-1", [answer(empty), applySucceeds]);
    const result = await convergeOne(await desiredOf("vxlan"), transport, {
      plans: { "node-1": plan },
    });
    expect(result.outcome).toBe("failed");
    expect(result.errors.map((e) => e.message)).toEqual([
      "node-1: namespace name \"red; rm -rf /\" is not a namespace name (letters, digits, '.', '_', '-'); refusing to put it in a command",
    ]);
    expect(transport.calls).toHaveLength(1);
  });

  it("changes nothing on a host with a conflict", async () => {
    const foreignBridge = {
      ifname: "cni0",
      flags: ["UP"],
      mtu: 1500,
      linkinfo: { info_kind: "bridge" },
    };
    const transport = createFakeTransport("node-1", [
      answer(observationText({ links: [foreignBridge] })),
      applySucceeds,
    ]);
    const result = await convergeOne(await desiredOf("vxlan"), transport);
    expect(result.outcome).toBe("refused");
    expect(result.errors.map((e) => e.message)).toEqual([
      "node-1: link cni0 exists (kind bridge, no alias) and is not netplan-k's; remove it (ip link del cni0) or change the topology",
    ]);
    expect(result.errors.map((e) => e.code)).toEqual(["plan.refused"]);
    expect(transport.calls).toHaveLength(1);
    expect(result.roundTrips).toBe(1);
  });

  it("changes nothing on a host without the ipip driver", async () => {
    const transport = createFakeTransport("node-a", [
      answer(observationText({ ipip: false, underlayAddress: "192.168.100.100/24" })),
      applySucceeds,
    ]);
    const desired = await desiredOf("ipip-cross-subnet");
    const [result] = await converge(
      { ...desired, hosts: desired.hosts.filter((h) => h.host === "node-a") },
      [transport],
      { checkRequirements: true },
    );
    expect(result?.outcome).toBe("refused");
    expect(result?.errors).toHaveLength(1);
    expect(result?.errors[0]?.message).toMatch(/^node-a: the kernel of node-a has no ipip driver/);
    expect(transport.calls).toHaveLength(1);
  });

  it("reports the failing command and the changes of completed steps", async () => {
    const transport = createFakeTransport("node-1", [answer(empty), failingStep(5)]);
    const result = await convergeOne(await desiredOf("vxlan"), transport);
    expect(result.outcome).toBe("failed");
    expect(result.roundTrips).toBe(2);
    expect(result.errors.map((e) => e.message)).toEqual([
      "node-1: ip -n red -batch failed at line 2 (link set dev lo alias netplan-k:vxlan-demo up): RTNETLINK answers: File exists",
    ]);
    // Steps 1 to 4 are the host's: the namespace made and marked in sh, two link creates in
    // an ip batch, the veth peer's name freed in sh, the veth created in an ip batch.
    expect(result.applied.map((c) => `${c.kind} ${c.key}`)).toEqual([
      "namespace red",
      "link cni0",
      "link flannel.1",
      "link nk56a0b9d247a",
    ]);
  });

  it("reports what still differs after apply", async () => {
    const transport = createFakeTransport("node-1", [answer(empty), applySucceeds, answer(empty)]);
    const result = await convergeOne(await desiredOf("vxlan"), transport);
    expect(result.outcome).toBe("failed");
    expect(result.roundTrips).toBe(3);
    expect(result.errors.map((e) => e.message)).toContain(
      "node-1: link cni0 is still missing after apply",
    );
    expect(result.errors.map((e) => e.message)).toContain(
      "node-1: sysctl net.ipv4.ip_forward still differs after apply: want value 1, found value 0",
    );
  });

  it("reports an unreadable verification as a failure", async () => {
    const transport = createFakeTransport("node-1", [
      answer(empty),
      applySucceeds,
      answer("garbage\n"),
    ]);
    const result = await convergeOne(await desiredOf("vxlan"), transport);
    expect(result.outcome).toBe("failed");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(/^node-1: /);
    // The observation's own error, about this host: its code kept, its message not prefixed again.
    expect(result.errors[0]?.code).toBe("observe.unreadable");
    expect(result.errors[0]?.message).not.toMatch(/^node-1: node-1: /);
  });
});

/** A fake whose calls are logged, in the order they start and end, to one shared log. */
function loggedTransport(
  host: string,
  responses: readonly FakeResponse[],
  log: string[],
  delays: Readonly<Record<number, number>> = {},
): FakeTransport {
  const inner = createFakeTransport(host, responses);
  return {
    ...inner,
    host,
    calls: inner.calls,
    async run(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
      const n = inner.calls.length + 1;
      const what =
        isObservation(options?.stdin) || isVerification(options?.stdin)
          ? "observe"
          : (options?.stdin ?? "").includes("link del dev flannel.1")
            ? "removals"
            : "build";
      log.push(`${host} ${what} start`);
      const result = await inner.run(argv, options);
      await new Promise((resolve) => setTimeout(resolve, delays[n] ?? 0));
      log.push(`${host} ${what} end`);
      return result;
    },
  };
}

describe("applyPlanPhased across hosts", () => {
  const responses = (host: string): FakeResponse[] => [
    answer(converged(host)),
    applySucceeds,
    applySucceeds,
    answer(converged(host)),
  ];

  it("starts a host's removals only once every host has built", async () => {
    const log: string[] = [];
    // node-1 builds slowly (its second call, the build, takes 50 ms); node-2 is quick.
    const transports = [
      loggedTransport("node-1", responses("node-1"), log, { 2: 50 }),
      loggedTransport("node-2", responses("node-2"), log),
    ];
    const results = await converge(await renumberedVxlan(), transports);
    expect(results.map((r) => r.roundTrips)).toEqual([4, 4]);
    const at = (entry: string): number => {
      const index = log.indexOf(entry);
      expect(index, `${entry} in ${log.join(", ")}`).toBeGreaterThanOrEqual(0);
      return index;
    };
    const lastBuildEnd = Math.max(at("node-1 build end"), at("node-2 build end"));
    expect(at("node-1 build end")).toBeGreaterThan(at("node-2 build end"));
    expect(at("node-2 removals start")).toBeGreaterThan(lastBuildEnd);
    expect(at("node-1 removals start")).toBeGreaterThan(lastBuildEnd);
    // Nothing failed before the remove phase: nothing held, every removal ran (the fake's
    // verification answers the old VNI, so the outcome is the drift's).
    expect(results.map((r) => r.held)).toEqual([undefined, undefined]);
    expect(results.every((r) => r.applied.length === r.plan.changes.length)).toBe(true);
  });

  it("holds every host's removals when one host's build failed", async () => {
    // Found by a breaker trial: node-2 failed its build and was rolled back to vxlan while its
    // peers deleted the flannel.1 it still encapsulates to, cutting its workload off.
    const log: string[] = [];
    const events: ConvergeEvent[] = [];
    const transports = [
      loggedTransport("node-1", responses("node-1"), log),
      loggedTransport("node-2", [answer(converged("node-2")), failingStep(2)], log),
      loggedTransport("node-3", responses("node-3"), log),
    ];
    const [one, two, three] = await converge(await renumberedVxlan(), transports, {
      onEvent: (event) => events.push(event),
    });
    expect(two?.outcome).toBe("failed");
    expect(log.filter((entry) => entry.includes("removals"))).toEqual([]);
    for (const [host, result] of [
      ["node-1", one],
      ["node-3", three],
    ] as const) {
      const removals = splitPlanPhases(result?.plan.changes ?? []).removals.length;
      expect(removals).toBeGreaterThan(0);
      expect(result?.outcome).toBe("held");
      expect(result?.errors).toEqual([]);
      expect(result?.held).toEqual({ removals, failed: ["node-2"] });
      expect(result?.applied.some((c) => c.action === "delete")).toBe(false);
      // Observe and build; no removals, no verification (the caller releases the lock).
      expect(result?.roundTrips).toBe(2);
      expect(events).toContainEqual({
        kind: "held",
        host,
        held: { removals, failed: ["node-2"] },
        message: `${host}: removals held (${removals} ${removals === 1 ? "delete" : "deletes"}): node-2 failed before the remove phase, and its old paths may still use what they would delete; run apply again once node-2 is fixed`,
      });
    }
    expect(transports.map((t) => t.calls.length)).toEqual([2, 2, 2]);
    expect(events.filter((event) => event.kind === "verified")).toEqual([]);
  });

  it("still builds and verifies, unheld, a host whose plan removes nothing", async () => {
    const desired = await renumberedVxlan();
    const keeps = createFakeTransport("node-1", [
      answer(empty),
      applySucceedsThenObserves(converged("node-1")),
    ]);
    const broken = createFakeTransport("node-2", [answer(converged("node-2")), failingStep(2)]);
    const [one, two] = await converge(await desiredOf("vxlan"), [keeps, broken], {
      desiredStates: { "node-2": stateOf(desired, "node-2") },
    });
    expect(two?.outcome).toBe("failed");
    expect(splitPlanPhases(one?.plan.changes ?? []).removals).toEqual([]);
    expect(one?.outcome).toBe("converged");
    expect(one?.held).toBeUndefined();
    expect(one?.roundTrips).toBe(2);
  });
});

describe("applyPlanPhased with BIRD", () => {
  const poll = bgpPollAnswer;

  /** `host`'s state of vxlan VNI 2 with BIRD added: a file and a service to start. */
  const birdStateOf = (desired: DesiredState, host: string): HostState => {
    const path = "/etc/bird/bird.conf";
    return {
      ...stateOf(desired, host),
      files: [{ path, content: "router id 192.168.64.5;\nprotocol bgp peer_b {\n}\n" }],
      services: [{ name: "bird", running: true, configPath: path }],
    };
  };

  /** vxlan VNI 2 with BIRD added on node-1: a file and a service to start, flannel.1 to delete. */
  async function withBird(): Promise<{ desired: DesiredState; state: HostState }> {
    const desired = await renumberedVxlan();
    return { desired, state: birdStateOf(desired, "node-1") };
  }

  it("waits for BGP after the build and before the removals", async () => {
    const { desired, state } = await withBird();
    const transport = createFakeTransport("node-1", [
      answer(converged("node-1")),
      applySucceeds,
      poll(birdFixture("birdc-show-protocols-connecting.txt"), "[]"),
      poll(birdFixture("birdc-show-protocols-all-established.txt"), "[]"),
      applySucceeds,
      answer(empty),
    ]);
    const result = await convergeOne(desired, transport, {
      desiredStates: { "node-1": state },
      bgp: { "node-1": { sessions: 1, blocks: [] } },
    });
    expect(transport.calls[1]?.stdin).toContain("bird -c");
    expect(transport.calls[2]?.stdin).toContain("birdc show protocols");
    expect(transport.calls[3]?.stdin).toContain("birdc show protocols");
    expect(transport.calls[4]?.stdin).toContain("link del dev flannel.1");
    expect(isVerification(transport.calls[5]?.stdin)).toBe(true);
    expect(result.roundTrips).toBe(6);
  });

  it("keeps the old paths of a host whose BGP did not come up", async () => {
    const { desired, state } = await withBird();
    const transport = createFakeTransport("node-1", [
      answer(converged("node-1")),
      applySucceeds,
      poll(birdFixture("birdc-show-protocols-connecting.txt"), "[]"),
    ]);
    const result = await convergeOne(desired, transport, {
      desiredStates: { "node-1": state },
      bgp: { "node-1": { sessions: 1, blocks: [] } },
      bgpTimeoutMs: 50,
    });
    expect(result.outcome).toBe("failed");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(
      /^node-1: BGP did not converge within 0.05 s: .*; its old routes were kept$/,
    );
    expect(transport.calls.some((call) => call.stdin?.includes("link del"))).toBe(false);
    expect(result.applied.some((c) => c.action === "delete")).toBe(false);
  });

  it("holds every host's removals when one host's BGP wait timed out", async () => {
    const desired = await renumberedVxlan();
    const waiting = createFakeTransport("node-1", [
      answer(converged("node-1")),
      applySucceeds,
      poll(birdFixture("birdc-show-protocols-connecting.txt"), "[]"),
    ]);
    const other = createFakeTransport("node-2", [
      answer(converged("node-2")),
      applySucceeds,
      applySucceeds,
      answer(converged("node-2")),
    ]);
    const [one, two] = await converge(desired, [waiting, other], {
      desiredStates: { "node-1": birdStateOf(desired, "node-1") },
      bgp: { "node-1": { sessions: 1, blocks: [] } },
      bgpTimeoutMs: 50,
    });
    expect(one?.outcome).toBe("failed");
    expect(one?.errors[0]?.code).toBe("apply.bgp-timeout");
    expect(two?.outcome).toBe("held");
    expect(two?.held).toEqual({ removals: 1, failed: ["node-1"] });
    expect(other.calls).toHaveLength(2);
    expect(other.calls.some((call) => call.stdin?.includes("link del"))).toBe(false);
    expect(two?.roundTrips).toBe(2);
  });

  it("names the BGP speaker whose build failed when a peer's wait times out", async () => {
    // Found on a bgp lab whose reflector could not write bird.conf: every client waited 30 s
    // and said only "BGP did not converge … Connection refused", hiding the cause.
    const desired = await renumberedVxlan();
    const waiting = createFakeTransport("node-1", [
      answer(converged("node-1")),
      applySucceeds,
      poll(birdFixture("birdc-show-protocols-connecting.txt"), "[]"),
    ]);
    const broken = createFakeTransport("node-2", [answer(converged("node-2")), failingStep(1)]);
    const [one, two] = await converge(desired, [waiting, broken], {
      desiredStates: {
        "node-1": birdStateOf(desired, "node-1"),
        "node-2": birdStateOf(desired, "node-2"),
      },
      bgp: {
        "node-1": { sessions: 1, blocks: [] },
        "node-2": { sessions: 1, blocks: [] },
      },
      bgpTimeoutMs: 50,
    });
    expect(two?.outcome).toBe("failed");
    expect(one?.outcome).toBe("failed");
    expect(one?.errors[0]?.message).toMatch(
      /^node-1: BGP did not converge within 0.05 s: .*; node-2 failed before this wait \(see its errors\): its sessions and its block may be what this host lacks; its old routes were kept$/,
    );
  });
});
