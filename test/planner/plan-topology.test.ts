import { describe, expect, it } from "vitest";
import type { DesiredState, HostFacts, HostRequirements } from "../../src/model/index.js";
import { MINIMUM_IPROUTE2 } from "../../src/model/index.js";
import { fingerprintHostState } from "../../src/planner/fingerprint.js";
import { isPlanApplicable, planHasChanges } from "../../src/planner/plan.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import {
  CLUSTER_CIDR,
  desiredVxlanHost,
  hostState,
  link,
  net,
  observedVxlanHost,
  TOPOLOGY,
  underlay,
} from "./states.js";

const facts: HostFacts = {
  drivers: { ipip: true },
  iproute2: "iproute2-6.1.0",
  kernel: "6.1.0",
};

const desired = (hosts: DesiredState["hosts"]): DesiredState => ({
  topology: TOPOLOGY,
  clusterCidr: CLUSTER_CIDR,
  hosts,
});

const ipipHost = hostState({ root: net({ links: [link("tunl0", { kind: "ipip", mtu: 1480 })] }) });

const ipipRequirements: HostRequirements = {
  underlay: {
    interface: "eth0",
    address: "192.168.64.5",
    prefix: 24,
    mtu: 1500,
    overlayMtu: 1480,
    overhead: 20,
    mode: "ipip",
  },
  drivers: ["ipip"],
  iproute2: MINIMUM_IPROUTE2,
  bird: false,
};

/** A host whose underlay meets ipipRequirements, and nothing else. */
const underlayOnly = hostState({
  root: net({ links: [underlay], addresses: [{ dev: "eth0", cidr: "192.168.64.5/24" }] }),
});

describe("planTopology", () => {
  it("plans every host against empty hosts, in the topology's order", () => {
    const plan = planTopology({
      desired: desired([
        { host: "node-b", state: desiredVxlanHost() },
        { host: "node-a", state: ipipHost },
      ]),
      observed: "empty",
      against: "empty",
    });
    expect(plan.formatVersion).toBe(1);
    expect(plan.topology).toBe(TOPOLOGY);
    expect(plan.against).toBe("empty");
    expect(plan.hosts.map((h) => [h.host, h.observedFingerprint, h.changes.length])).toEqual([
      ["node-b", "empty", 14],
      ["node-a", "empty", 1],
    ]);
    expect(isPlanApplicable(plan)).toBe(true);
  });

  it("fingerprints each observation and plans nothing for a converged host", () => {
    const observed = observedVxlanHost();
    const plan = planTopology({
      desired: desired([{ host: "node-a", state: desiredVxlanHost() }]),
      observed: [
        { host: "node-z", state: hostState(), facts },
        { host: "node-a", state: observed, facts },
      ],
      against: "snapshot",
    });
    expect(plan.hosts).toEqual([
      {
        host: "node-a",
        changes: [],
        conflicts: [],
        errors: [],
        observedFingerprint: fingerprintHostState(observed),
      },
    ]);
    expect(planHasChanges(plan)).toBe(false);
  });

  it("fails a host whose kernel has no ipip driver, changing nothing there", () => {
    const plan = planTopology({
      desired: desired([
        { host: "node-a", state: ipipHost, requirements: ipipRequirements },
        { host: "node-b", state: ipipHost, requirements: ipipRequirements },
      ]),
      observed: [
        { host: "node-a", state: underlayOnly, facts: { ...facts, drivers: { ipip: false } } },
        { host: "node-b", state: underlayOnly, facts },
      ],
      against: "hosts",
    });
    expect(plan.hosts[0]).toEqual({
      host: "node-a",
      changes: [],
      conflicts: [],
      errors: [
        "node-a: the kernel of node-a has no ipip driver (ip link add type ipip: Unknown device type); mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.",
      ],
      observedFingerprint: fingerprintHostState(underlayOnly),
    });
    expect(plan.hosts[1]?.changes.map((c) => c.key)).toEqual(["tunl0"]);
    expect(isPlanApplicable(plan)).toBe(false);
  });

  it("fails a host that has no observed state", () => {
    const plan = planTopology({
      desired: desired([{ host: "node-x", state: desiredVxlanHost() }]),
      observed: [],
      against: "snapshot",
    });
    expect(plan.hosts[0]?.errors).toEqual([
      'node-x: no observed state; the snapshot was taken with another topology or before node-x was added. Run "netplan-k observe" again.',
    ]);
    expect(plan.hosts[0]?.changes).toEqual([]);
    expect(plan.hosts[0]?.observedFingerprint).toBe("none");
  });
});
