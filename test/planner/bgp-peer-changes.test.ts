import { describe, expect, it } from "vitest";
import { compileTopology } from "../../src/modes/compile.js";
import { formatBgpPeerChange, listBgpPeerChanges } from "../../src/modes/bgp-peer-changes.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { renderPlanMarkdown } from "../../src/planner/render-markdown.js";
import { renderPlanText } from "../../src/planner/render-text.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { observeConvergedTo } from "./converged-hosts.js";
import { modes } from "../../src/modes/registry.js";

/** Reflectors a1 and a2; clients from a3 on. Dual-stack: each host with 2001:db8::1N too. */
function bgpTopology(
  hosts: readonly string[],
  reflectors = "[a1, a2]",
  dualStack = false,
): Topology {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    `  cidr: ${dualStack ? "[10.42.0.0/16, fd00:10:42::/56]" : "10.42.0.0/16"}`,
    "  mode: bgp",
    "  bgp:",
    `    reflectors: ${reflectors}`,
    "hosts:",
    ...hosts.flatMap((name) => {
      const v4 = `198.51.100.${10 + Number(name.slice(1))}/24`;
      const v6 = `2001:db8::${10 + Number(name.slice(1))}/64`;
      return [`  - name: ${name}`, `    address: ${dualStack ? `[${v4}, ${v6}]` : v4}`];
    }),
    "",
  ].join("\n");
  const result = loadTopologyText(text, "demo.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.topology;
}

/** The plan from what `before` compiles to (as if applied) to what `after` asks for. */
function planChange(before: Topology, after: Topology) {
  // A host new in `after` holds nothing yet but its underlay.
  const observed = observeConvergedTo(before, after.hosts);
  return planTopology({ desired: compileTopology(after), observed, against: "snapshot" });
}

const five = ["a1", "a2", "a3", "a4", "a5"];

/** bgpTopology's hosts in mode vxlan: a switch away from bgp. */
function vxlanTopology(hosts: readonly string[]): Topology {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    "  cidr: 10.42.0.0/16",
    "  mode: vxlan",
    "hosts:",
    ...hosts.flatMap((name) => [
      `  - name: ${name}`,
      `    address: 198.51.100.${10 + Number(name.slice(1))}/24`,
    ]),
    "",
  ].join("\n");
  const result = loadTopologyText(text, "demo.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.topology;
}

describe("BGP changes a reviewer can read", () => {
  it("adding a client opens one session on each reflector and none elsewhere", () => {
    const after = bgpTopology([...five, "a6"]);
    const plan = planChange(bgpTopology(five), after);
    const peers = listBgpPeerChanges(after, plan);
    expect(Object.fromEntries([...peers].map(([h, c]) => [h, c.map(formatBgpPeerChange)]))).toEqual(
      {
        a1: ["+ bgp peer a6 (198.51.100.16, rr client)"],
        a2: ["+ bgp peer a6 (198.51.100.16, rr client)"],
        a6: [
          "+ bgp peer a1 (198.51.100.11, route reflector)",
          "+ bgp peer a2 (198.51.100.12, route reflector)",
        ],
      },
    );
  });

  // Lab v9 (bgp mesh → vxlan): every closed session was listed twice, as mesh peer and as rr
  // client, though the cluster had no reflector.
  it("a switch from a mesh to vxlan closes each session once, as a mesh peer", () => {
    const three = ["a1", "a2", "a3"];
    const after = vxlanTopology(three);
    const plan = planChange(bgpTopology(three, "[]"), after);
    const peers = listBgpPeerChanges(after, plan);
    expect(peers.get("a1")?.map(formatBgpPeerChange)).toEqual([
      "- bgp peer a2 (198.51.100.12, mesh peer)",
      "- bgp peer a3 (198.51.100.13, mesh peer)",
    ]);
  });

  it("dual-stack: adding a client opens its IPv4 and its IPv6 session, each with its address", () => {
    const after = bgpTopology([...five, "a6"], "[a1, a2]", true);
    const plan = planChange(bgpTopology(five, "[a1, a2]", true), after);
    const peers = listBgpPeerChanges(after, plan);
    expect(Object.fromEntries([...peers].map(([h, c]) => [h, c.map(formatBgpPeerChange)]))).toEqual(
      {
        a1: ["+ bgp peer a6 (2001:db8::16, rr client)", "+ bgp peer a6 (198.51.100.16, rr client)"],
        a2: ["+ bgp peer a6 (2001:db8::16, rr client)", "+ bgp peer a6 (198.51.100.16, rr client)"],
        a6: [
          "+ bgp peer a1 (2001:db8::11, route reflector)",
          "+ bgp peer a2 (2001:db8::12, route reflector)",
          "+ bgp peer a1 (198.51.100.11, route reflector)",
          "+ bgp peer a2 (198.51.100.12, route reflector)",
        ],
      },
    );
  });

  it("removing a host from the reflectors closes and opens sessions with their roles", () => {
    const after = bgpTopology(five, "[a1]");
    const plan = planChange(bgpTopology(five), after);
    const peers = listBgpPeerChanges(after, plan);
    expect(peers.get("a3")?.map(formatBgpPeerChange)).toEqual([
      "- bgp peer a2 (198.51.100.12, mesh peer)",
    ]);
    expect(peers.get("a1")?.map(formatBgpPeerChange)).toEqual([
      "- bgp peer a2 (198.51.100.12, mesh peer)",
      "+ bgp peer a2 (198.51.100.12, rr client)",
    ]);
  });

  it("the text plan shows the sessions and the unified diff of BIRD's file under its line", () => {
    const after = bgpTopology([...five, "a6"]);
    const plan = planChange(bgpTopology(five), after);
    const text = renderPlanText(plan, { color: false, bgpPeers: listBgpPeerChanges(after, plan) });
    const a1 = text.slice(text.indexOf("a1:\n"), text.indexOf("\n\n"));
    expect(a1).toBe(
      [
        "a1:",
        "  ~ file /etc/bird/bird.conf  (content differs)",
        "      + bgp peer a6 (198.51.100.16, rr client)",
        "      @@ -56,3 +56,9 @@",
        "         rr client;",
        "         rr cluster id 198.51.100.11;",
        "       }",
        "      +",
        "      +protocol bgp peer_a6 from cluster_peer {",
        "      +  neighbor 198.51.100.16 as 64512;",
        "      +  rr client;",
        "      +  rr cluster id 198.51.100.11;",
        "      +}",
      ].join("\n"),
    );
  });

  it("the markdown plan shows them inside the host's diff block", () => {
    const after = bgpTopology([...five, "a6"]);
    const plan = planChange(bgpTopology(five), after);
    const markdown = renderPlanMarkdown(plan, { bgpPeers: listBgpPeerChanges(after, plan) });
    expect(markdown).toContain(
      [
        "#### a1",
        "",
        "```diff",
        "~ file /etc/bird/bird.conf  (content differs)",
        "+     bgp peer a6 (198.51.100.16, rr client)",
        "@@ -56,3 +56,9 @@",
        "   rr client;",
        "   rr cluster id 198.51.100.11;",
        " }",
        "+",
        "+protocol bgp peer_a6 from cluster_peer {",
      ].join("\n"),
    );
  });

  it("a file created from nothing lists its sessions and no diff", () => {
    const after = bgpTopology(five);
    const plan = planTopology({
      desired: compileTopology(after),
      observed: "empty",
      against: "empty",
    });
    const text = renderPlanText(plan, { color: false, bgpPeers: listBgpPeerChanges(after, plan) });
    expect(text).toContain(
      "  + file /etc/bird/bird.conf (45 lines)  (missing)\n" +
        "      + bgp peer a1 (198.51.100.11, route reflector)\n" +
        "      + bgp peer a2 (198.51.100.12, route reflector)\n" +
        "  + service bird running",
    );
  });
});
