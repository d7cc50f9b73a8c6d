import { describe, expect, it } from "vitest";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { diffHost } from "../../src/planner/diff-host.js";
import { readFixture } from "../observe/fixtures.js";
import { CLUSTER_CIDR, hostState, link, net, TOPOLOGY } from "./states.js";

// The sysctls of a namespace recorded with OBSERVATION_SCRIPT
// (test/fixtures/kernel/underlay-faults/observation.txt): ip_forward 1, then
// net.ipv4.conf.eth0.forwarding and net.ipv4.conf.flannel.1.forwarding set to 0 by hand;
// eth1 (not the cluster's) forwards, with rp_filter 1.
const recorded = parseObservation("node-1", readFixture("kernel/underlay-faults/observation.txt"));
const sysctls = recorded.state.sysctls;

const desired = hostState({
  root: net({ links: [link("flannel.1", { kind: "vxlan" })] }),
  sysctls: [{ key: "net.ipv4.ip_forward", value: "1" }],
});

/** The sysctl changes of a host holding the recorded sysctls and desired's links. */
function sysctlChanges(want = desired, found = sysctls): string[] {
  const { changes } = diffHost({
    topology: TOPOLOGY,
    clusterCidr: CLUSTER_CIDR,
    desired: want,
    observed: hostState({ root: want.root, sysctls: found }),
    underlay: { interface: "eth0", address: "192.0.2.5", prefix: 24 },
  });
  return changes.filter((c) => c.kind === "sysctl").map((c) => c.reason);
}

describe("per-interface forwarding of the devices cluster traffic enters through", () => {
  it("the observation reads every interface's forwarding and rp_filter", () => {
    expect(sysctls).toEqual(
      expect.arrayContaining([
        { key: "net.ipv4.conf.eth0.forwarding", value: "0" },
        { key: "net.ipv4.conf.flannel.1.forwarding", value: "0" },
        { key: "net.ipv4.conf.eth1.rp_filter", value: "1" },
      ]),
    );
  });

  it("forwarding 0 on the underlay interface and on the tunnel device is repaired", () => {
    expect(sysctlChanges()).toEqual([
      "sysctl net.ipv4.conf.eth0.forwarding: value 0 → 1",
      "sysctl net.ipv4.conf.flannel.1.forwarding: value 0 → 1",
    ]);
  });

  it("no change: those devices forward, another device does not, or ip_forward is not wanted", () => {
    const forwarding = sysctls.map((s) =>
      s.key.startsWith("net.ipv4.conf.eth0.") || s.key.startsWith("net.ipv4.conf.flannel.1.")
        ? { ...s, value: s.key.endsWith(".forwarding") ? "1" : s.value }
        : s.key.startsWith("net.ipv4.conf.eth1.forwarding")
          ? { ...s, value: "0" }
          : s,
    );
    expect(sysctlChanges(desired, forwarding)).toEqual([]);
    expect(sysctlChanges({ ...desired, sysctls: [] })).toEqual([]);
  });

  it("a host whose ip_forward is still 0 gets ip_forward alone: setting it sets every device", () => {
    const fresh = sysctls.map((s) => (s.key === "net.ipv4.ip_forward" ? { ...s, value: "0" } : s));
    expect(sysctlChanges(desired, fresh)).toEqual(["sysctl net.ipv4.ip_forward: value 0 → 1"]);
  });
});
