/**
 * Mode bgp (Calico's BGP networking with BIRD 2).
 *
 * Design notes. No tunnel and no static peer routes: each host runs BIRD, which announces
 * the host's block over iBGP and installs the peers' blocks it learns (`proto bird`, not
 * netplan-k's: verification checks them, the planner does not write them).
 *
 * Per host:
 *   - route `blackhole <block> proto 77 metric 1024`: the block exists locally before any
 *     workload does. Metric 1024 so that, with attach bridge, the kernel's connected route
 *     `<block> dev cni0` (metric 0) coexists with it and wins; workload /32s win anyway;
 *   - in a dual-stack cluster also `blackhole <block6> dev lo proto 77 metric 1024` (the kernel
 *     puts IPv6 blackholes on lo; IPv6's connected route has metric 256 and wins the same way);
 *   - file BIRD_CONFIG_PATH (bird-config.ts), service `bird` running, each of its BGP
 *     sessions enabled (a session disabled at runtime is a change: `birdc enable`).
 * Per peer: one BGP session per family in BIRD's configuration (mesh: every peer; with
 * reflectors: see bird-config.ts). No kernel object.
 */
import { BIRD_PROTOCOL, MAIN_TABLE, type Route } from "../model/index.js";
import {
  describeBgpRole,
  listBgpSessions,
  listBirdHostProtocols,
  renderBirdConfig,
} from "./bird-config.js";
import { checkOneSegment } from "../topology/check-segments.js";
import type { DraftTopology } from "../topology/draft.js";
import { addressText } from "../topology/block-math.js";
import { errorAt, warningAt, type Finding } from "../topology/finding.js";
import { findDuplicates } from "../topology/find-duplicates.js";
import { formatPath } from "../topology/path.js";
import type { Mode } from "./mode.js";
import { BIRD_CONFIG_PATH } from "./naming.js";
import { peerSides } from "./peer-sides.js";
import { routerIdOfIpv6 } from "./router-id.js";
import { blackholeRoute, blackholeRoute6 } from "./routes.js";

/** Above the connected route of cni0 (metric 0), which must win for the same prefix. */
const BLOCK_BLACKHOLE_METRIC = 1024;

/**
 * The metric BIRD 2's kernel protocol gives the routes it installs when its configuration sets
 * none (bird-config.ts sets none): `proto bird metric 32` in `ip route` on the lab hosts.
 */
const BIRD_KERNEL_METRIC = 32;

/** A peer's block as BIRD installs it: via the peer's underlay address of the block's family. */
const learnedRoute = (dst: string, via: string, dev: string): Route => ({
  dst,
  table: MAIN_TABLE,
  type: "unicast",
  metric: BIRD_KERNEL_METRIC,
  via,
  dev,
  onlink: false,
  scope: "global",
  protocol: BIRD_PROTOCOL,
});

/**
 * Every peer's IPv4 block where the cluster has IPv4, then every peer's IPv6 block where it
 * has IPv6. BIRD gives
 * learned IPv6 routes the same metric 32 (measured: `fd00:1:2::/64 via 2001:db8::2 dev eth0
 * proto bird metric 32`); `ip -j` prints no scope for them, read as global.
 */
const learnedRoutes: NonNullable<Mode["learnedRoutes"]> = ({ host, peers }) => [
  ...peerSides(peers, "v4").map((peer) =>
    learnedRoute(peer.podCidr, peer.underlayIp, host.interface),
  ),
  ...peerSides(peers, "v6").map((peer) =>
    learnedRoute(peer.podCidr, peer.underlayIp, host.interface),
  ),
];

/** Above this many hosts a full BGP mesh gets expensive (MODES.md). */
const MESH_LIMIT = 100;

/**
 * In an IPv6-only cluster every host's router id (routerIdOfIpv6: the low 32 bits of its IPv6
 * underlay address) must be non-zero and its own, or BIRD refuses the session.
 */
function checkIpv6RouterIds({ cluster, hosts }: DraftTopology): Finding[] {
  if (cluster.cidrFamilies?.v4 !== false) return [];
  const located = hosts.flatMap((host) =>
    host.name && host.addressV6
      ? [
          {
            name: host.name.value,
            field: host.addressV6,
            id: routerIdOfIpv6(addressText(host.addressV6.value)),
          },
        ]
      : [],
  );
  const hint =
    "BIRD's router id of an IPv6-only host is the low 32 bits of its IPv6 underlay address: give each host an address whose last 32 bits are its own and not all zero";
  const zero = located
    .filter((host) => host.id === "0.0.0.0")
    .map((host) =>
      errorAt(
        host.field.path,
        `${formatPath(host.field.path)} ${host.field.value.address} (${host.name}) would give BIRD the router id 0.0.0.0, which BGP does not allow`,
        hint,
      ),
    );
  const shared = findDuplicates(
    located.filter((host) => host.id !== "0.0.0.0"),
    (host) => host.id,
    (host, first) =>
      errorAt(
        host.field.path,
        `${formatPath(host.field.path)} ${host.field.value.address} (${host.name}) would give BIRD the router id ${host.id}, which is already ${first.name}'s`,
        hint,
      ),
  );
  return [...zero, ...shared];
}

/**
 * Next hops on one segment; an IPv6-only host's router id non-zero and its own; a full mesh
 * over MESH_LIMIT hosts is warned about.
 */
function checkBgpSettings(draft: DraftTopology): Finding[] {
  const { cluster, hosts } = draft;
  const findings = [...checkOneSegment(draft), ...checkIpv6RouterIds(draft)];
  if (cluster.reflectors.length === 0 && hosts.length > MESH_LIMIT) {
    const sessions = (hosts.length * (hosts.length - 1)) / 2;
    findings.push(
      warningAt(
        cluster.mode?.path ?? ["cluster"],
        "value",
        `a full BGP mesh of ${hosts.length} hosts opens ${sessions} sessions`,
        "mark two or three hosts as cluster.bgp.reflectors: sessions then grow as hosts x reflectors",
      ),
    );
  }
  return findings;
}

export const bgp: Mode = {
  // Unencapsulated.
  overhead: 0,
  checkSettings: checkBgpSettings,
  compileHost: ({ topology, host }) => ({
    root: {
      routes: [
        ...(host.v4 === undefined ? [] : [blackholeRoute(host.v4.podCidr, BLOCK_BLACKHOLE_METRIC)]),
        ...(host.v6 === undefined
          ? []
          : [blackholeRoute6(host.v6.podCidr, BLOCK_BLACKHOLE_METRIC)]),
      ],
    },
    files: [{ path: BIRD_CONFIG_PATH, content: renderBirdConfig(topology, host) }],
    services: [
      {
        name: "bird",
        running: true,
        configPath: BIRD_CONFIG_PATH,
        // Every protocol of the file wanted up, each session Established too: the plan
        // enables one disabled at runtime. BIRD 2.0.12 shows the others up with no info.
        protocols: [
          ...listBirdHostProtocols(host).map(({ name, proto, purpose }) => ({
            name,
            proto,
            state: "up",
            info: "",
            purpose,
          })),
          ...listBgpSessions(topology, host).map((session) => ({
            name: session.protocol,
            proto: "BGP",
            state: "up",
            info: "Established",
          })),
        ],
      },
    ],
  }),
  // Every peer's block, as BIRD installs it: next hop the peer's underlay address.
  learnedRoutes,
  // Every session of the configuration up, and every learned block in the kernel.
  waitFor: (context) => ({
    bgp: {
      sessions: listBgpSessions(context.topology, context.host).length,
      blocks: learnedRoutes(context).map((route) => route.dst),
    },
  }),
  checks: ({ topology, host }) => ({
    bgpSessions: listBgpSessions(topology, host).map((session) => ({
      host: host.name,
      protocol: session.protocol,
      peer: session.peer.name,
      address: session.address,
      role: describeBgpRole(topology, session),
    })),
  }),
};
