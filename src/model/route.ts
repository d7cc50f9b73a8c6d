/**
 * A route as netplan-k sees it. Defaults are explicit: `ip -j` leaves out table, protocol,
 * type, metric and scope when they are main, boot, unicast, 0 and global.
 */
export interface Route {
  /** Always CIDR: "default" is "0.0.0.0/0", a host route "10.244.1.2/32". */
  readonly dst: string;
  /** Routing table number: main 254, local 255. */
  readonly table: number;
  readonly type: RouteType;
  readonly metric: number;
  /** Gateway address. */
  readonly via?: string;
  readonly dev?: string;
  readonly onlink: boolean;
  readonly scope: RouteScope;
  /** Route protocol number (kernel 2, boot 3, static 4, bird 12, netplan-k ROUTE_PROTOCOL). */
  readonly protocol: number;
}

export type RouteType =
  | "unicast"
  | "blackhole"
  | "unreachable"
  | "prohibit"
  | "local"
  | "broadcast"
  | "multicast"
  | "anycast"
  | "throw";

export type RouteScope = "global" | "link" | "host" | "site" | "nowhere";

/** Two routes with one key cannot coexist: the kernel keeps one per table, prefix and metric. */
export const routeKey = (route: Route): string => `${route.table}/${route.dst}/${route.metric}`;

/** Route protocol numbers that iproute2 names in `ip -j` output (its rt_protos table). */
export const ROUTE_PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  redirect: 1,
  kernel: 2,
  boot: 3,
  static: 4,
  gated: 8,
  ra: 9,
  mrt: 10,
  zebra: 11,
  bird: 12,
  dnrouted: 13,
  xorp: 14,
  ntk: 15,
  dhcp: 16,
  keepalived: 18,
  babel: 42,
  openr: 99,
  bgp: 186,
  isis: 187,
  ospf: 188,
  rip: 189,
  eigrp: 192,
};
