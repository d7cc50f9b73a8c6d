import type {
  HostState,
  Link,
  NamespaceState,
  NetState,
  Route,
  VxlanInfo,
} from "../../src/model/index.js";
import { emptyHostState, emptyNetState, fileHeader, ownerAlias } from "../../src/model/index.js";
import { diffHost } from "../../src/planner/diff-host.js";
import type { Change } from "../../src/planner/plan.js";

/** Hand-built states for planner tests: small, explicit, no compiler or parser involved. */

export const TOPOLOGY = "demo";
export const CLUSTER_CIDR = "10.244.0.0/16";
export const ALIAS = ownerAlias(TOPOLOGY);
export const VETH = "nk0123456789a";
export const VTEP_MAC = "0e:00:00:00:00:01";
export const PEER_MAC = "0e:00:00:00:00:02";

export const link = (name: string, fields: Partial<Link> = {}): Link => ({
  name,
  kind: "veth",
  mtu: 1450,
  up: true,
  alias: ALIAS,
  ...fields,
});

export const route = (dst: string, fields: Partial<Route> = {}): Route => ({
  dst,
  table: 254,
  type: "unicast",
  metric: 0,
  onlink: false,
  scope: "global",
  protocol: 77,
  ...fields,
});

export const net = (parts: Partial<NetState> = {}): NetState => ({ ...emptyNetState(), ...parts });
export const hostState = (parts: Partial<HostState> = {}): HostState => ({
  ...emptyHostState(),
  ...parts,
});

export const VXLAN: VxlanInfo = {
  id: 1,
  local: "192.168.64.5",
  dev: "eth0",
  port: 8472,
  learning: false,
};
export const vtep = (fields: Partial<Link> = {}): Link =>
  link("flannel.1", { kind: "vxlan", mac: VTEP_MAC, vxlan: VXLAN, ...fields });

export const underlay: Link = { name: "eth0", kind: "", mtu: 1500, up: true };

export const birdConf = `${fileHeader(TOPOLOGY)}\nrouter id 192.168.64.5;\n`;

/** Workload `red` as the compiler would want it with attach bridge. */
export const redNamespace = (): NamespaceState => ({
  name: "red",
  owner: TOPOLOGY,
  net: net({
    links: [
      { name: "lo", kind: "", mtu: 65536, up: true, alias: ALIAS },
      { name: "eth0", kind: "veth", mtu: 1450, up: true },
    ],
    addresses: [{ dev: "eth0", cidr: "10.244.1.2/24" }],
    routes: [route("0.0.0.0/0", { via: "10.244.1.1", dev: "eth0" })],
  }),
});

/** A vxlan host with attach bridge and one workload: one of every kind of object. */
export const desiredVxlanHost = (): HostState =>
  hostState({
    root: net({
      links: [
        link("cni0", { kind: "bridge" }),
        vtep(),
        link(VETH, { master: "cni0", peer: { netns: "red", name: "eth0" } }),
      ],
      addresses: [
        { dev: "cni0", cidr: "10.244.1.1/24" },
        { dev: "flannel.1", cidr: "10.244.1.0/32" },
      ],
      routes: [route("10.244.2.0/24", { via: "10.244.2.0", dev: "flannel.1", onlink: true })],
      neighbours: [{ dev: "flannel.1", dst: "10.244.2.0", lladdr: PEER_MAC, permanent: true }],
      fdb: [{ dev: "flannel.1", mac: PEER_MAC, dst: "192.168.64.6" }],
    }),
    namespaces: [redNamespace()],
    sysctls: [{ key: "net.ipv4.ip_forward", value: "1" }],
  });

const withoutPeer = ({ peer: _peer, ...rest }: Link): Link => rest;

/**
 * The same host as an observation after a successful apply: what the kernel adds by itself
 * (underlay, connected routes, the local table, lo's address, dynamic ARP, other sysctls).
 */
export const observedVxlanHost = (): HostState => {
  const desired = desiredVxlanHost();
  const red = redNamespace();
  return {
    ...desired,
    root: {
      ...desired.root,
      links: [
        { name: "lo", kind: "", mtu: 65536, up: true },
        underlay,
        ...desired.root.links.map(withoutPeer),
      ],
      addresses: [
        { dev: "lo", cidr: "127.0.0.1/8" },
        { dev: "eth0", cidr: "192.168.64.5/24" },
        ...desired.root.addresses,
      ],
      routes: [
        route("192.168.64.0/24", { dev: "eth0", protocol: 2, scope: "link" }),
        route("10.244.1.0/24", { dev: "cni0", protocol: 2, scope: "link" }),
        route("10.244.1.1/32", {
          dev: "cni0",
          protocol: 2,
          scope: "host",
          type: "local",
          table: 255,
        }),
        route("0.0.0.0/0", { via: "192.168.64.1", dev: "eth0", protocol: 3 }),
        ...desired.root.routes,
      ],
      neighbours: [
        { dev: "eth0", dst: "192.168.64.1", lladdr: "52:54:00:00:00:01", permanent: false },
        { dev: "cni0", dst: "10.244.1.2", lladdr: "5a:00:00:00:00:02", permanent: false },
        ...desired.root.neighbours,
      ],
    },
    namespaces: [
      {
        ...red,
        net: {
          ...red.net,
          addresses: [{ dev: "lo", cidr: "127.0.0.1/8" }, ...red.net.addresses],
          routes: [
            route("10.244.1.0/24", { dev: "eth0", protocol: 2, scope: "link" }),
            ...red.net.routes,
          ],
          neighbours: [
            { dev: "eth0", dst: "10.244.1.1", lladdr: "5a:00:00:00:00:01", permanent: false },
          ],
        },
      },
    ],
    sysctls: [
      { key: "net.ipv4.ip_forward", value: "1" },
      { key: "net.ipv4.conf.eth0.proxy_arp", value: "0" },
    ],
  };
};

export const diff = (desired: HostState, observed: HostState) =>
  diffHost({ topology: TOPOLOGY, clusterCidr: CLUSTER_CIDR, desired, observed });

/** "create link cni0", "update link [red] eth0": one line per change, for order assertions. */
export const listChanges = (changes: readonly Change[]): string[] =>
  changes.map(
    (change) =>
      `${change.action} ${change.kind} ${change.netns === undefined ? "" : `[${change.netns}] `}${change.key}`,
  );
