import { describe, expect, it } from "vitest";
import type { BridgeFdbEntry, HostState } from "../../src/model/index.js";
import { parseBridgePinnedFdb } from "../../src/observe/parse-bridge-pinned-fdb.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { desiredVxlanHost, diff, observedVxlanHost, VETH } from "./states.js";

// Recorded on lab host node-1 of a vxlan attach bridge lab (test/fixtures/kernel/truth-faults):
// a foreign veth ztfp0 enslaved to cni0, `bridge fdb replace f6:c9:3f:4e:f0:a8 dev ztfp0 master
// static sticky` (workload red's MAC) and `bridge fdb replace 02:00:00:00:00:77 dev ztfp0
// master static`. The ports' own MACs then: nkc824091638b 86:c1:6c:98:df:78, ztfp0
// ce:3a:fe:fc:e4:59 (the kernel's permanent entries).
const RED_MAC = "f6:c9:3f:4e:f0:a8";
const recorded = parseBridgePinnedFdb(
  readJsonFixture("kernel/truth-faults/fdb-bridge-sticky.json"),
  new Set(["86:c1:6c:98:df:78", "ce:3a:fe:fc:e4:59"]),
);

/** The converged vxlan host of states.ts, red's eth0 with the recorded MAC, `pinned` on cni0. */
function withPinned(pinned: readonly BridgeFdbEntry[]): HostState {
  const observed = observedVxlanHost();
  const namespaces = observed.namespaces.map((ns) => ({
    ...ns,
    net: {
      ...ns.net,
      links: ns.net.links.map((l) => (l.name === "eth0" ? { ...l, mac: RED_MAC } : l)),
    },
  }));
  return { ...observed, root: { ...observed.root, bridgeFdb: pinned }, namespaces };
}

const reasons = (observed: HostState): string[] => {
  const plan = diff(desiredVxlanHost(), observed);
  return [...plan.changes.map((c) => c.reason), ...plan.conflicts.map((c) => c.reason)];
};

describe("an entry pinned in netplan-k's bridge that takes a workload's MAC", () => {
  it("reads the pinned entries only, not learned ones nor the kernel's own", () => {
    expect(recorded).toEqual([
      { port: "ztfp0", bridge: "cni0", mac: "02:00:00:00:00:77", state: "static" },
      { port: "ztfp0", bridge: "cni0", mac: RED_MAC, state: "static", sticky: true },
    ]);
  });

  it("static sticky on a foreign port is a conflict naming the port, the MAC and the remedy", () => {
    const plan = diff(desiredVxlanHost(), withPinned(recorded));
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts).toEqual([
      {
        kind: "fdb",
        key: `cni0/${RED_MAC}`,
        reason:
          `fdb ${RED_MAC} dev ztfp0 master cni0 static sticky is not netplan-k's and takes ` +
          `workload red's MAC: cni0 sends its frames out of ztfp0, never to ${VETH}, and the ` +
          `kernel never moves a static sticky entry; remove it (bridge fdb del ${RED_MAC} dev ` +
          "ztfp0 master) or change the topology",
      },
    ]);
  });

  it("permanent (delivered to the host) is a conflict too", () => {
    expect(
      reasons(withPinned([{ port: "ztfp0", bridge: "cni0", mac: RED_MAC, state: "permanent" }])),
    ).toEqual([expect.stringContaining("cni0 sends its frames to the host itself")]);
  });

  it("on the bridge device itself (fdb … dev cni0 self local): the remedy has no master", () => {
    // measured: bridge fdb del MAC dev cni0 master → Operation not supported; without master it goes
    expect(
      reasons(withPinned([{ port: "cni0", bridge: "cni0", mac: RED_MAC, state: "permanent" }])),
    ).toEqual([expect.stringContaining(`(bridge fdb del ${RED_MAC} dev cni0) or change`)]);
  });

  it("no false alarm: static without sticky (the bridge moves it back), another MAC, another bridge, red's own port", () => {
    const sticky = { port: "ztfp0", bridge: "cni0", mac: RED_MAC, state: "static" } as const;
    expect(reasons(withPinned([sticky]))).toEqual([]);
    expect(reasons(withPinned([{ ...sticky, sticky: true, mac: "02:00:00:00:00:77" }]))).toEqual(
      [],
    );
    expect(reasons(withPinned([{ ...sticky, sticky: true, bridge: "docker0" }]))).toEqual([]);
    expect(reasons(withPinned([{ ...sticky, sticky: true, port: VETH }]))).toEqual([]);
  });
});
