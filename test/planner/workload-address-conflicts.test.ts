import { describe, expect, it } from "vitest";
import type { HostState } from "../../src/model/index.js";
import { parseIpAddresses } from "../../src/observe/parse-ip-addresses.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { diffHost } from "../../src/planner/diff-host.js";
import { listWorkloadAddresses } from "../../src/planner/workload-address-conflicts.js";
import {
  CLUSTER_CIDR,
  desiredVxlanHost,
  diff,
  hostState,
  net,
  observedVxlanHost,
  TOPOLOGY,
} from "./states.js";

// `ip -j addr show` of a namespace holding 10.244.1.2/24 on eth0 (as workload red), then
// `ip addr add 10.244.2.2/32 dev lo` (an address of the peer's block 10.244.2.0/24) and
// `ip addr add 127.0.0.2/8 dev lo` (test/fixtures/README.md).
const recorded = parseIpAddresses(readJsonFixture("kernel/truth-faults/addr-workload-lo.json"));

/** The converged vxlan host whose workload red holds the addresses `keep` picks. */
function withRedAddresses(keep: (cidr: string) => boolean): HostState {
  const observed = observedVxlanHost();
  const namespaces = observed.namespaces.map((ns) =>
    ns.name === "red"
      ? { ...ns, net: { ...ns.net, addresses: recorded.filter((a) => keep(a.cidr)) } }
      : ns,
  );
  return { ...observed, namespaces };
}

const conflicts = (observed: HostState): string[] =>
  diff(desiredVxlanHost(), observed).conflicts.map((c) => c.reason);

describe("addresses inside a workload namespace that take another workload's packets", () => {
  it("reads the recorded addresses: eth0's, and lo's three", () => {
    expect(recorded.map((a) => `${a.dev}/${a.cidr}`)).toEqual([
      "lo/127.0.0.1/8",
      "lo/10.244.2.2/32",
      "lo/127.0.0.2/8",
      "eth0/10.244.1.2/24",
    ]);
  });

  it("a peer block's address on red's lo is a conflict naming red, the address and its block", () => {
    const plan = diff(
      desiredVxlanHost(),
      withRedAddresses(() => true),
    );
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts.map((c) => [c.netns, c.reason])).toEqual([
      [
        "red",
        "address 10.244.2.2/32 on lo in workload namespace red is not netplan-k's and takes " +
          "10.244.2.2, an address of a workload behind route 10.244.2.0/24 via 10.244.2.0 dev " +
          "flannel.1 onlink: packets red sends there stay inside it; remove it " +
          "(ip -n red address del 10.244.2.2/32 dev lo)",
      ],
    ]);
  });

  it("the address of a workload on another host names that workload and its host", () => {
    const peer = hostState({
      namespaces: [
        { name: "blue", net: net({ addresses: [{ dev: "eth0", cidr: "10.244.2.2/24" }] }) },
      ],
    });
    const plan = diffHost({
      topology: TOPOLOGY,
      clusterCidr: CLUSTER_CIDR,
      desired: desiredVxlanHost(),
      observed: withRedAddresses(() => true),
      workloadAddresses: listWorkloadAddresses([
        { host: "node-1", state: desiredVxlanHost() },
        { host: "node-2", state: peer },
      ]),
    });
    expect(plan.conflicts.map((c) => c.reason)).toEqual([
      "address 10.244.2.2/32 on lo in workload namespace red is not netplan-k's and takes " +
        "10.244.2.2, the address of workload blue on host node-2: packets red sends there " +
        "stay inside it; remove it (ip -n red address del 10.244.2.2/32 dev lo)",
    ]);
  });

  it("a dual-stack topology (workloads with an IPv6 address too) gets the same conflict, no crash", () => {
    const desired = desiredVxlanHost();
    const eth0 = recorded.find((a) => a.dev === "eth0")!;
    const dualStack = {
      ...desired,
      namespaces: desired.namespaces.map((ns) => ({
        ...ns,
        net: {
          ...ns.net,
          addresses: [{ ...eth0, cidr: "fd00:10:244:1::2/64" }, ...ns.net.addresses],
        },
      })),
    };
    const reasons = (d: HostState) =>
      diff(
        d,
        withRedAddresses(() => true),
      ).conflicts.map((c) => c.reason);
    expect(reasons(dualStack)).toEqual(reasons(desired));
  });

  it("no conflict: 127.0.0.2 on red's lo, outside the cluster CIDR", () => {
    expect(conflicts(withRedAddresses((cidr) => cidr !== "10.244.2.2/32"))).toEqual([]);
  });

  it("on the host's own lo, a peer block's address is already a conflict of the rule walk", () => {
    const observed = observedVxlanHost();
    const peerOnLo = recorded.filter((a) => a.cidr === "10.244.2.2/32");
    const root = { ...observed.root, addresses: [...observed.root.addresses, ...peerOnLo] };
    expect(conflicts({ ...observed, root })).toEqual([
      expect.stringContaining(
        "address 10.244.2.2/32 on lo is not netplan-k's and takes 10.244.2.2",
      ),
    ]);
  });
});
