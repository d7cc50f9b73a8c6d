import type { DesiredState, HostState } from "../model/index.js";
import { listBgpSessions } from "../modes/bird-config.js";
import type { Host, Topology } from "../topology/topology.js";
import { GraphError, graphedSide } from "./graph-error.js";
import type { HostPath, PathKind } from "./topology-graph.js";

/** Link kinds of the compiled tunnel devices, as the kernel names them (`linkinfo.info_kind`). */
const TUNNEL_KINDS: Readonly<Record<string, PathKind>> = { vxlan: "vxlan", ipip: "ipip" };

/**
 * How `host` reaches `peer`'s block, read from the compiled desired state rather than from the
 * mode settings, so the picture cannot disagree with what apply puts in the kernel:
 * - a route to the block through the host's underlay interface is the direct (host-gw) path;
 * - a route through a vxlan or ipip link of the desired state is that tunnel;
 * - no route but BIRD among the desired services: learned by BGP, from the peer itself when
 *   the host opens a session with it (listBgpSessions, which also writes BIRD's sessions),
 *   else through the reflectors it has sessions with.
 * Throws GraphError graph.incomplete-state when the state says none of these. The block is
 * the peer's IPv4 one, or its IPv6 one in an IPv6-only cluster (graphedSide).
 */
export function deriveHostPath(
  topology: Topology,
  desired: DesiredState,
  host: Host,
  peer: Host,
): HostPath {
  const state = hostStateOf(desired, host.name);
  const block = graphedSide(peer).podCidr;
  const route = state.root.routes.find((r) => r.dst === block && r.type === "unicast");
  if (route !== undefined) {
    if (route.dev === host.interface) return { kind: "direct", reflectors: [] };
    const link = state.root.links.find((l) => l.name === route.dev);
    const kind = link === undefined ? undefined : TUNNEL_KINDS[link.kind];
    if (kind !== undefined) return { kind, reflectors: [] };
    throw new GraphError(
      "graph.incomplete-state",
      `${host.name}: the compiled route to ${peer.name}'s block ${block} leaves through ${route.dev ?? "no device"}, which is neither the underlay ${host.interface} nor a vxlan or ipip link`,
    );
  }
  if (state.services.some((service) => service.name === "bird")) {
    const sessions = listBgpSessions(topology, host);
    if (sessions.some((session) => session.peer.name === peer.name)) {
      return { kind: "bgp", reflectors: [] };
    }
    // A dual-stack host holds two sessions (one per family) with each reflector.
    return { kind: "bgp", reflectors: [...new Set(sessions.map((session) => session.peer.name))] };
  }
  throw new GraphError(
    "graph.incomplete-state",
    `${host.name}: the compiled state has no route to ${peer.name}'s block ${block} and no BGP speaker`,
  );
}

function hostStateOf(desired: DesiredState, name: string): HostState {
  const entry = desired.hosts.find((h) => h.host === name);
  if (entry === undefined) {
    throw new GraphError("graph.incomplete-state", `${name}: not in the compiled desired state`);
  }
  return entry.state;
}
