import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BirdProtocolState, ObservedHost } from "../../src/model/index.js";
import { listBgpPeerChanges } from "../../src/modes/bgp-peer-changes.js";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { parseBirdProtocols } from "../../src/observe/index.js";
import { fingerprintHostState } from "../../src/planner/fingerprint.js";
import { parsePlan } from "../../src/planner/parse-plan.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { renderPlanJson } from "../../src/planner/render-json.js";
import { renderPlanText } from "../../src/planner/render-text.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { observeConvergedTo } from "./converged-hosts.js";

// What a BIRD running netplan-k's configuration says of its sessions, recorded from BIRD
// 2.0.12 by fixtures/bird/record-bird-protocols.sh (unedited): node-1's peer_node_2
// Established, then disabled by `birdc disable peer_node_2`; peer_node_3 Active throughout
// (no BIRD on node-3).
const recorded = (name: string): BirdProtocolState[] =>
  parseBirdProtocols(readFileSync(new URL(`fixtures/bird/${name}`, import.meta.url), "utf8")).map(
    ({ name, proto, state, info, message }) => ({
      name,
      proto,
      state,
      info,
      ...(message !== undefined && { message }),
    }),
  );

const topology = (() => {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    "  cidr: 10.42.0.0/16",
    "  mode: bgp",
    "hosts:",
    ...[1, 2, 3].flatMap((n) => [`  - name: node-${n}`, `    address: 192.0.2.${n}/24`]),
    "",
  ].join("\n");
  const result = loadTopologyText(text, "demo.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.topology;
})();

/** The converged mesh, node-1's BIRD listing `protocols`; node-2 and node-3 all Established. */
function convergedWith(protocols: readonly BirdProtocolState[] | undefined): ObservedHost[] {
  return observeConvergedTo(topology).map((host) =>
    host.host !== "node-1"
      ? host
      : {
          ...host,
          state: {
            ...host.state,
            services: host.state.services.map(({ protocols: _, ...service }) => ({
              ...service,
              ...(protocols !== undefined && { protocols }),
            })),
          },
        },
  );
}

const planOver = (observed: ObservedHost[]) =>
  planTopology({ desired: compileTopology(topology), observed, against: "snapshot" });

describe("BGP sessions of netplan-k's BIRD, as the observation reads them", () => {
  it("plan nothing, and say nothing, when every session is Established", () => {
    const plan = planOver(observeConvergedTo(topology));
    expect(plan.hosts.flatMap((h) => h.changes)).toEqual([]);
    expect(plan.hosts.flatMap((h) => h.warnings ?? [])).toEqual([]);
  });

  it("enable a session disabled at runtime (birdc disable): a change, not No changes", () => {
    const plan = planOver(convergedWith(recorded("bird-protocols-disabled-active.txt")));
    const [node1] = plan.hosts;
    expect(node1?.changes).toEqual([
      expect.objectContaining({
        kind: "service",
        action: "update",
        key: "bird",
        reason: "service bird: protocol peer_node_2 disabled → enabled",
        disruptive: false,
      }),
    ]);
    expect(plan.hosts.slice(1).flatMap((h) => h.changes)).toEqual([]);
  });

  it("warn of a session that runs but is not Established, which apply cannot bring up", () => {
    const plan = planOver(convergedWith(recorded("bird-protocols-established-active.txt")));
    const [node1] = plan.hosts;
    expect(node1?.changes).toEqual([]);
    expect(node1?.warnings).toEqual([
      "BGP session peer_node_3 is not Established (BIRD shows start, Active, Socket: Connection " +
        "refused): apply cannot bring it up from this host; its peer's BIRD, or the path to the " +
        "peer, is down (birdc show protocols all peer_node_3), and verify fails until it is up",
    ]);
    // "No changes" never stands alone: the warning is under its host.
    const text = renderPlanText(plan, { color: false });
    expect(text).toContain("node-1:\n  ! BGP session peer_node_3 is not Established");
    expect(text).toContain("No changes on node-2, node-3.");
  });

  it("say both at once: the disabled session a change, the Active one a warning", () => {
    const plan = planOver(convergedWith(recorded("bird-protocols-disabled-active.txt")));
    expect(plan.hosts[0]?.changes).toHaveLength(1);
    expect(plan.hosts[0]?.warnings).toHaveLength(1);
    expect(plan.hosts[0]?.warnings?.[0]).toMatch(/^BGP session peer_node_3 /);
  });

  it("judge nothing when the protocols are not known (a snapshot made before they were read)", () => {
    const plan = planOver(convergedWith(undefined));
    expect(plan.hosts.flatMap((h) => h.changes)).toEqual([]);
    expect(plan.hosts.flatMap((h) => h.warnings ?? [])).toEqual([]);
  });

  it("keep a saved plan fresh while a session's info alternates (Active, Connect)", () => {
    const [active] = convergedWith(recorded("bird-protocols-established-active.txt"));
    const connect = convergedWith(
      recorded("bird-protocols-established-active.txt").map((p) =>
        p.name === "peer_node_3"
          ? { ...p, info: "Connect", message: "Socket: No route to host" }
          : p,
      ),
    )[0];
    const disabled = convergedWith(recorded("bird-protocols-disabled-active.txt"))[0];
    if (active === undefined || connect === undefined || disabled === undefined) throw new Error();
    expect(fingerprintHostState(connect.state)).toBe(fingerprintHostState(active.state));
    expect(fingerprintHostState(disabled.state)).not.toBe(fingerprintHostState(active.state));
  });

  it("say which peer is enabled and why, under BIRD's service line", () => {
    const plan = planOver(convergedWith(recorded("bird-protocols-disabled-active.txt")));
    const text = renderPlanText(plan, {
      color: false,
      bgpPeers: listBgpPeerChanges(topology, plan),
    });
    expect(text).toContain(
      [
        "node-1:",
        "  ! BGP session peer_node_3 is not Established (BIRD shows start, Active, Socket: " +
          "Connection refused): apply cannot bring it up from this host; its peer's BIRD, or " +
          "the path to the peer, is down (birdc show protocols all peer_node_3), and verify " +
          "fails until it is up",
        "  ~ service bird  (protocol peer_node_2 disabled → enabled)",
        "      ~ bgp peer node-2 (192.0.2.2, mesh peer): disabled at runtime (birdc disable); " +
          "apply enables it",
      ].join("\n"),
    );
  });

  // Breaker trial: `birdc disable static1` (or kernel1, device1) left plan at "No changes" while
  // verify failed. Every protocol of netplan-k's file is wanted up, by the name the file gives.
  it("enable the host's own protocols disabled at runtime, saying what each does", () => {
    const plan = planOver(convergedWith(recorded("bird-protocols-host-disabled.txt")));
    const [node1] = plan.hosts;
    expect(node1?.changes).toEqual([
      expect.objectContaining({
        kind: "service",
        action: "update",
        key: "bird",
        disruptive: false,
        reason:
          "service bird: protocol direct1 (reads the addresses of eth0, the sessions' next " +
          "hops) disabled → enabled, protocol kernel1 (installs the IPv4 blocks learned over " +
          "BGP in the kernel) disabled → enabled, protocol static1 (announces this host's " +
          "block 10.42.2.0/24) disabled → enabled",
      }),
    ]);
    expect(renderPlanText(plan, { color: false })).toContain(
      "  ~ service bird  (protocol direct1 (reads the addresses of eth0, the sessions' next " +
        "hops) disabled → enabled, protocol kernel1 (installs the IPv4 blocks learned over BGP " +
        "in the kernel) disabled → enabled, protocol static1 (announces this host's block " +
        "10.42.2.0/24) disabled → enabled)",
    );
    expect(plan.hosts.slice(1).flatMap((h) => h.changes)).toEqual([]);
  });

  it("save the repair as a plan that parses back (each protocol's purpose in after)", () => {
    const plan = planOver(convergedWith(recorded("bird-protocols-host-disabled.txt")));
    const text = renderPlanJson(plan);
    expect(text).toContain('"purpose": "announces this host\'s block 10.42.2.0/24"');
    expect(() => parsePlan(text, "plan.json")).not.toThrow();
  });

  it("blame the host's own disabled device protocol, not the peer, for sessions down", () => {
    const plan = planOver(convergedWith(recorded("bird-protocols-device-disabled.txt")));
    const [node1] = plan.hosts;
    expect(node1?.changes).toEqual([
      expect.objectContaining({
        reason:
          "service bird: protocol device1 (tells BIRD the host's interfaces) disabled → enabled",
      }),
    ]);
    expect(node1?.warnings).toEqual(
      ["peer_node_2", "peer_node_3"].map(
        (name) =>
          `BGP session ${name} is not Established (BIRD shows start, Idle, Error: Neighbor ` +
          `lost): this host's own protocol device1 is disabled at runtime, which apply ` +
          `enables; if the session stays down after that, its peer's BIRD or the path to the ` +
          `peer is down (birdc show protocols all ${name}), and verify fails until it is up`,
      ),
    );
  });

  // The breaker's finding: a `disabled;` added by hand to a session of the managed file read as
  // "+ bgp peer node-2 (192.0.2.2, mesh peer)", a session opened, where the file had drifted.
  it("say that the file drifted where a session's block was edited by hand", () => {
    const observed = convergedWith(recorded("bird-protocols-disabled-active.txt")).map((host) =>
      host.host !== "node-1"
        ? host
        : {
            ...host,
            state: {
              ...host.state,
              files: host.state.files.map((file) => ({
                ...file,
                content: file.content.replace(
                  "protocol bgp peer_node_2 from cluster_peer {\n",
                  "protocol bgp peer_node_2 from cluster_peer {\n  disabled;\n",
                ),
              })),
            },
          },
    );
    expect(observed[0]?.state.files[0]?.content).toContain("  disabled;\n");
    const plan = planOver(observed);
    const peers = listBgpPeerChanges(topology, plan);
    expect(peers.get("node-1")).toEqual([
      { action: "edit", peer: "node-2", address: "192.0.2.2", role: "mesh peer" },
    ]);
    const text = renderPlanText(plan, { color: false, bgpPeers: peers });
    expect(text).toContain(
      "      ~ bgp peer node-2 (192.0.2.2, mesh peer): its block in /etc/bird/bird.conf was " +
        "edited on the host (the file drifted); apply writes netplan-k's back and reloads BIRD\n",
    );
    expect(text).toContain("      -  disabled;\n");
    expect(text).not.toMatch(/\+ bgp peer/);
  });

  it("call no block edited that netplan-k wrote for other settings (another AS)", () => {
    const otherAs = {
      ...topology,
      cluster: { ...topology.cluster, bgp: { ...topology.cluster.bgp, asn: 64513 } },
    };
    const plan = planTopology({
      desired: compileTopology(otherAs),
      observed: observeConvergedTo(topology),
      against: "snapshot",
    });
    const actions = [...listBgpPeerChanges(otherAs, plan).values()].flat().map((c) => c.action);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions).not.toContain("edit");
  });
});
