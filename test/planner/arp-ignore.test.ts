import { describe, expect, it } from "vitest";
import type { HostState, Sysctl } from "../../src/model/index.js";
import { diffHost } from "../../src/planner/diff-host.js";
import { readFixture } from "../observe/fixtures.js";
import { CLUSTER_CIDR, desiredVxlanHost, observedVxlanHost, TOPOLOGY } from "./states.js";

// The sysctl section of the observation (OBSERVATION.functions' nk_sysctls) run in a namespace
// holding a bridge cni0 and a veth pair eth0/eth1, after `sysctl -w
// net.ipv4.conf.cni0.arp_ignore=8 net.ipv4.conf.eth0.arp_ignore=8
// net.ipv4.conf.eth1.arp_ignore=2` (test/fixtures/README.md).
const recorded: Sysctl[] = readFixture("kernel/truth-faults/sysctl-arp-ignore.txt")
  .split("\n")
  // The namespace's ip_forward and forwarding (0) are not this test's: only arp_ignore.
  .filter((line) => line.includes(".arp_ignore="))
  .map((line) => {
    const at = line.indexOf("=");
    return { key: line.slice(0, at), value: line.slice(at + 1) };
  });

/** The recorded sysctls with `changes` applied (key → value). */
const withValues = (changes: Readonly<Record<string, string>>): Sysctl[] =>
  recorded.map((s) => ({ ...s, value: changes[s.key] ?? s.value }));

/** The sysctl changes and the conflicts of the converged vxlan host holding `sysctls`. */
function plan(sysctls: readonly Sysctl[]): { changes: string[]; conflicts: string[] } {
  const converged = observedVxlanHost();
  const observed: HostState = { ...converged, sysctls: [...converged.sysctls, ...sysctls] };
  const result = diffHost({
    topology: TOPOLOGY,
    clusterCidr: CLUSTER_CIDR,
    desired: desiredVxlanHost(),
    observed,
    underlay: { interface: "eth0", address: "192.168.64.5", prefix: 24 },
  });
  return {
    changes: result.changes.filter((c) => c.kind === "sysctl").map((c) => c.reason),
    conflicts: result.conflicts.map((c) => c.reason),
  };
}

describe("arp_ignore 8, which answers no ARP request", () => {
  it("the observation reads every interface's arp_ignore, all and default too", () => {
    expect(recorded).toEqual(
      expect.arrayContaining([
        { key: "net.ipv4.conf.lo.arp_ignore", value: "0" },
        { key: "net.ipv4.conf.all.arp_ignore", value: "0" },
        { key: "net.ipv4.conf.default.arp_ignore", value: "0" },
        { key: "net.ipv4.conf.cni0.arp_ignore", value: "8" },
        { key: "net.ipv4.conf.eth0.arp_ignore", value: "8" },
        { key: "net.ipv4.conf.eth1.arp_ignore", value: "2" },
      ]),
    );
  });

  it("on the cluster bridge cni0 it is repaired; on the underlay eth0 it is a conflict", () => {
    expect(plan(recorded)).toEqual({
      changes: ["sysctl net.ipv4.conf.cni0.arp_ignore: value 8 → 0"],
      conflicts: [
        "sysctl net.ipv4.conf.eth0.arp_ignore is 8, so the underlay interface eth0 answers no " +
          "ARP request and the peers and workloads cannot reach this host; it needs 0 to 3 " +
          "(0 is the kernel's default): set it (sysctl -w net.ipv4.conf.eth0.arp_ignore=0)",
      ],
    });
  });

  it("on all it is a conflict, whatever the devices hold", () => {
    const { conflicts } = plan(
      withValues({
        "net.ipv4.conf.all.arp_ignore": "8",
        "net.ipv4.conf.cni0.arp_ignore": "0",
        "net.ipv4.conf.eth0.arp_ignore": "0",
      }),
    );
    expect(conflicts).toEqual([
      expect.stringContaining(
        "sysctl net.ipv4.conf.all.arp_ignore is 8, so every interface (the kernel uses the " +
          "larger of all and the interface's value) answers no ARP request",
      ),
    ]);
  });

  it("no change, no conflict: 1, 2 and 3 (measured to pass), and 8 on a device not the cluster's", () => {
    for (const value of ["1", "2", "3"]) {
      expect(
        plan(
          withValues({
            "net.ipv4.conf.all.arp_ignore": value,
            "net.ipv4.conf.cni0.arp_ignore": value,
            "net.ipv4.conf.eth0.arp_ignore": value,
            "net.ipv4.conf.eth1.arp_ignore": "8",
          }),
        ),
      ).toEqual({ changes: [], conflicts: [] });
    }
  });
});

// nk_namespace_sysctls (the observation's "sysctl:<netns>" section) run by hand in workload red
// of a lab host (vxlan, prefix wa): `nsenter --net=/run/netns/red grep -rs
// --include=arp_ignore '' /proc/sys/net/ipv4/conf` after `ip netns exec red sysctl -w
// net.ipv4.conf.eth0.arp_ignore=8`, then after eth0 2 and all 4 (test/fixtures/README.md).
const workloadSysctls = (file: string): Sysctl[] =>
  readFixture(`kernel/truth-faults/${file}`)
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [path = "", value = ""] = line.split(":");
      const [, dev, name] = /conf\/([^/]+)\/(.+)$/.exec(path) ?? [];
      return { key: `net.ipv4.conf.${dev}.${name}`, value };
    });

/** The changes (as "[netns] reason") and conflicts of the converged host whose red holds `sysctls`. */
function planWorkload(sysctls: readonly Sysctl[] | undefined) {
  const converged = observedVxlanHost();
  const namespaces = converged.namespaces.map((ns) =>
    ns.name === "red" && sysctls !== undefined ? { ...ns, sysctls } : ns,
  );
  const result = diffHost({
    topology: TOPOLOGY,
    clusterCidr: CLUSTER_CIDR,
    desired: desiredVxlanHost(),
    observed: { ...converged, namespaces },
  });
  return {
    changes: result.changes.map((c) => `[${c.netns ?? ""}] ${c.action} ${c.reason}`),
    conflicts: result.conflicts.map((c) => c.reason),
  };
}

describe("arp_ignore inside a workload namespace (read with nsenter in the same observation)", () => {
  const eth0 = workloadSysctls("sysctl-workload-eth0-arp-ignore-8.txt");

  it("8 on the workload's eth0 is set back to 0: the namespace is netplan-k's", () => {
    expect(planWorkload(eth0)).toEqual({
      changes: [
        "[red] update sysctl net.ipv4.conf.eth0.arp_ignore: 8 → 0 (at 8 red answers no ARP " +
          "request, so nothing reaches it)",
      ],
      conflicts: [],
    });
  });

  it("8 on the namespace's all is set back to 0 too", () => {
    const all = eth0.map((s) => ({
      ...s,
      value: s.key === "net.ipv4.conf.all.arp_ignore" ? "8" : "0",
    }));
    expect(planWorkload(all).changes).toEqual([
      "[red] update sysctl net.ipv4.conf.all.arp_ignore: 8 → 0 (at 8 red answers no ARP " +
        "request, so nothing reaches it)",
    ]);
  });

  it("no false alarm: 2 on eth0 and 4 on all pass (measured), and an older observation says nothing", () => {
    const passing = workloadSysctls("sysctl-workload-arp-ignore-2-and-4.txt");
    expect(passing.map((s) => `${s.key}=${s.value}`)).toContain("net.ipv4.conf.all.arp_ignore=4");
    expect(planWorkload(passing)).toEqual({ changes: [], conflicts: [] });
    expect(planWorkload(undefined)).toEqual({ changes: [], conflicts: [] });
  });
});
