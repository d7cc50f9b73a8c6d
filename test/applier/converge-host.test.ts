import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  convergeHost,
  renderApplyScript,
  type ConvergeEvent,
  type ConvergeHostInput,
} from "../../src/applier/index.js";
import type { DesiredState } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/index.js";
import { OBSERVATION_SCRIPT, parseObservation } from "../../src/observe/index.js";
import { fingerprintHostState, planTopology } from "../../src/planner/index.js";
import { loadTopologyFile } from "../../src/topology/index.js";
import {
  answer,
  applySucceeds,
  createFakeTransport,
  observationText,
  type FakeTransport,
} from "./fake-transport.js";

const converged = readFileSync("test/fixtures/converged/vxlan/node-1.txt", "utf8");
const empty = observationText();

async function desiredOf(example: string): Promise<DesiredState> {
  const loaded = await loadTopologyFile(`examples/${example}.yaml`);
  if (!loaded.ok) throw new Error(`examples/${example}.yaml is invalid`);
  return compileTopology(loaded.topology);
}

async function inputFor(
  example: string,
  transport: FakeTransport,
  extra: Partial<ConvergeHostInput> = {},
): Promise<ConvergeHostInput> {
  const desired = await desiredOf(example);
  const state = desired.hosts.find((h) => h.host === transport.host)?.state;
  if (state === undefined) throw new Error(`no host ${transport.host}`);
  return {
    transport,
    topology: desired.topology,
    clusterCidr: desired.clusterCidr,
    desired: state,
    ...extra,
  };
}

const isObservation = (stdin: string | undefined): boolean => stdin === OBSERVATION_SCRIPT;

describe("convergeHost with a fake transport", () => {
  it("makes exactly one round trip when nothing is to do", async () => {
    const transport = createFakeTransport("node-1", [answer(converged)]);
    const result = await convergeHost(await inputFor("vxlan", transport));
    expect(result.outcome).toBe("unchanged");
    expect(result.roundTrips).toBe(1);
    expect(result.applied).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(transport.calls).toEqual([{ argv: ["sh", "-s"], stdin: OBSERVATION_SCRIPT }]);
  });

  it("observes, applies in one script, and verifies: three round trips", async () => {
    const transport = createFakeTransport("node-1", [
      answer(empty),
      applySucceeds,
      answer(converged),
    ]);
    const events: ConvergeEvent[] = [];
    const result = await convergeHost(
      await inputFor("vxlan", transport, { onEvent: (e) => events.push(e) }),
    );
    expect(result.errors).toEqual([]);
    expect(result.outcome).toBe("converged");
    expect(result.roundTrips).toBe(3);
    expect(transport.calls.map((call) => call.argv)).toEqual([
      ["sh", "-s"],
      ["sh", "-s"],
      ["sh", "-s"],
    ]);
    expect(isObservation(transport.calls[0]?.stdin)).toBe(true);
    expect(isObservation(transport.calls[2]?.stdin)).toBe(true);
    // The applied script is exactly the plan's, and the result keeps the state before apply.
    const plan = result.plan;
    expect(plan?.changes.length).toBeGreaterThan(10);
    expect(transport.calls[1]?.stdin).toBe(renderApplyScript(plan?.changes ?? []));
    expect(result.applied).toEqual(plan?.changes);
    expect(result.observed).toEqual(parseObservation("node-1", empty));
    expect(events.map((e) => e.kind)).toEqual([
      "planned",
      "applying",
      ...Array.from({ length: 9 }, () => "step"),
      "verified",
    ]);
    expect(events[0]).toEqual({
      kind: "planned",
      host: "node-1",
      changes: plan?.changes.length,
      conflicts: 0,
      errors: 0,
    });
    expect(events[2]).toEqual({
      kind: "step",
      host: "node-1",
      step: 1,
      steps: 9,
      command: "ip -batch",
      ok: true,
    });
  });

  it.each([1, 2, 3])("turns a TransportError on call %i into a per-host failure", async (n) => {
    const transport = createFakeTransport(
      "node-1",
      [answer(empty), applySucceeds, answer(converged)],
      { failOnCall: n },
    );
    const result = await convergeHost(await inputFor("vxlan", transport));
    expect(result.outcome).toBe("failed");
    expect(result.errors).toEqual([
      "node-1: ssh: connect to host 192.0.2.1 port 22: No route to host",
    ]);
    expect(result.roundTrips).toBe(n);
    expect(transport.calls).toHaveLength(n);
    expect(result.observed !== undefined).toBe(n > 1);
  });

  it("refuses a stale saved plan without an apply call", async () => {
    const desired = await desiredOf("vxlan");
    const plan = planTopology({
      desired,
      observed: [parseObservation("node-1", empty)],
      against: "hosts",
    }).hosts[0];
    if (plan === undefined) throw new Error("no plan");
    // The host changed since: it is converged now.
    const transport = createFakeTransport("node-1", [answer(converged)]);
    const result = await convergeHost(await inputFor("vxlan", transport, { plan }));
    expect(result.outcome).toBe("refused");
    expect(result.errors).toEqual([
      'Saved plan is stale: node-1 changed since the plan was made. Run "netplan-k plan" again.',
    ]);
    expect(transport.calls).toHaveLength(1);
    expect(result.applied).toEqual([]);
  });

  it("applies a saved plan exactly when the host did not change", async () => {
    const desired = await desiredOf("vxlan");
    const full = planTopology({
      desired,
      observed: [parseObservation("node-1", empty)],
      against: "hosts",
    }).hosts[0];
    if (full === undefined) throw new Error("no plan");
    // A saved plan is applied as it is, even when planning again would differ.
    const plan = { ...full, changes: full.changes.slice(0, 2) };
    const transport = createFakeTransport("node-1", [
      answer(empty),
      applySucceeds,
      answer(converged),
    ]);
    const result = await convergeHost(await inputFor("vxlan", transport, { plan }));
    expect(result.outcome).toBe("converged");
    expect(transport.calls[1]?.stdin).toBe(renderApplyScript(plan.changes));
    expect(result.applied).toEqual(plan.changes);
  });

  it("refuses an edited saved plan with a hostile name before any apply call", async () => {
    const observed = parseObservation("node-1", empty);
    const plan = {
      host: "node-1",
      observedFingerprint: fingerprintHostState(observed.state),
      errors: [],
      conflicts: [],
      changes: [
        {
          kind: "namespace" as const,
          action: "create" as const,
          key: "red",
          after: { name: "red; rm -rf /" },
          reason: "namespace red: missing",
          disruptive: false,
        },
      ],
    };
    const transport = createFakeTransport("node-1", [answer(empty), applySucceeds]);
    const result = await convergeHost(await inputFor("vxlan", transport, { plan }));
    expect(result.outcome).toBe("failed");
    expect(result.errors).toEqual([
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
    const result = await convergeHost(await inputFor("vxlan", transport));
    expect(result.outcome).toBe("refused");
    expect(result.errors).toEqual([
      "node-1: link cni0 exists (kind bridge, no alias) and is not netplan-k's; remove it (ip link del cni0) or change the topology",
    ]);
    expect(transport.calls).toHaveLength(1);
    expect(result.roundTrips).toBe(1);
  });

  it("changes nothing on a host without the ipip driver", async () => {
    const transport = createFakeTransport("node-a", [
      answer(observationText({ ipip: false })),
      applySucceeds,
    ]);
    const result = await convergeHost(await inputFor("ipip-cross-subnet", transport));
    expect(result.outcome).toBe("refused");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^node-a: the kernel of node-a has no ipip driver/);
    expect(transport.calls).toHaveLength(1);
  });

  it("reports the failing command and the changes of completed steps", async () => {
    const failing = answer(
      [
        "@@netplan-k:apply:1",
        "@@netplan-k:step:1",
        "@@netplan-k:done:1",
        "@@netplan-k:step:2",
        "@@netplan-k:output:RTNETLINK answers: File exists",
        "@@netplan-k:output:Command failed -:2",
        "@@netplan-k:failed:2:1",
        "",
      ].join("\n"),
      1,
    );
    const transport = createFakeTransport("node-1", [answer(empty), failing]);
    const result = await convergeHost(await inputFor("vxlan", transport));
    expect(result.outcome).toBe("failed");
    expect(result.roundTrips).toBe(2);
    expect(result.errors).toEqual([
      "node-1: ip -n red -batch failed at line 2 (link set dev lo alias netplan-k:vxlan-demo up): RTNETLINK answers: File exists",
    ]);
    // Step 1 is the host's first ip batch: the namespace and the three link creates.
    expect(result.applied.map((c) => `${c.kind} ${c.key}`)).toEqual([
      "namespace red",
      "link cni0",
      "link flannel.1",
      "link nk56a0b9d247a",
    ]);
  });

  it("reports what still differs after apply", async () => {
    const transport = createFakeTransport("node-1", [answer(empty), applySucceeds, answer(empty)]);
    const result = await convergeHost(await inputFor("vxlan", transport));
    expect(result.outcome).toBe("failed");
    expect(result.roundTrips).toBe(3);
    expect(result.errors).toContain("node-1: link cni0 is still missing after apply");
    expect(result.errors).toContain(
      "node-1: sysctl net.ipv4.ip_forward still differs after apply: want value 1, found value 0",
    );
  });

  it("reports an unreadable observation as a failure", async () => {
    const transport = createFakeTransport("node-1", [answer("garbage\n")]);
    const result = await convergeHost(await inputFor("vxlan", transport));
    expect(result.outcome).toBe("failed");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^node-1: /);
    expect(result.observed).toBeUndefined();
  });
});
