/**
 * A route as netplan-k sees it. Defaults are explicit: `ip -j` leaves out table, protocol,
 * type, metric and scope when they are main, boot, unicast, 0 and global.
 */
export interface Route {
  /** Always CIDR: "default" is "0.0.0.0/0", a host route "10.244.1.2/32". */
  readonly dst: string;
  /**
   * Routing table: main 254, local 255, default 253, or a number. A name from the host's
   * rt_tables that netplan-k cannot number is kept as printed ("vpn"): such a table is
   * never one netplan-k writes to, only one it shows and matches against `ip rule`.
   */
  readonly table: RouteTableId;
  readonly type: RouteType;
  readonly metric: number;
  /** Gateway address. */
  readonly via?: string;
  readonly dev?: string;
  /**
   * Observed only: the source address the route prefers (`src`). The kernel sets it on every
   * route it derives from an address; absent when none was set, or in a snapshot written
   * before netplan-k read it.
   */
  readonly prefsrc?: string;
  readonly onlink: boolean;
  readonly scope: RouteScope;
  /**
   * Route protocol number (unspec 0, kernel 2, boot 3, static 4, bird 12, netplan-k
   * ROUTE_PROTOCOL). A name from the host's rt_protos that netplan-k cannot number is kept as
   * printed ("nhrp"): never netplan-k's, which always writes a number.
   */
  readonly protocol: RouteProtocolId;
  /**
   * Observed only: the next hops of a multipath route (`"nexthops"` in `ip -j route`, which
   * then prints neither `gateway` nor `dev` at the top: recorded in
   * test/fixtures/kernel/ipv6-judged). IPv6 makes one by itself when a route is appended with
   * another next hop. Absent for a route with one next hop; netplan-k never writes one.
   */
  readonly nexthops?: readonly RouteNextHop[];
}

/** One next hop of a multipath route: its gateway, device and `onlink`, as `ip` prints them. */
export interface RouteNextHop {
  readonly via?: string;
  readonly dev?: string;
  readonly onlink?: boolean;
}

/** A routing table as `ip` names it: a number, or a name only the host's rt_tables knows. */
export type RouteTableId = number | string;

/** A route protocol as `ip` names it: a number, or a name only the host's rt_protos knows. */
export type RouteProtocolId = number | string;

/**
 * The kernel's fixed routing tables (`RT_TABLE_*` in include/uapi/linux/rtnetlink.h): `ip
 * route` without `table` reads and writes main; local holds the host's own addresses and is
 * tried first; default is tried last.
 */
export const DEFAULT_TABLE = 253;
export const MAIN_TABLE = 254;
export const LOCAL_TABLE = 255;

/**
 * Route protocols the kernel itself sets (`RTPROT_*` in include/uapi/linux/rtnetlink.h):
 * kernel for the connected route of an address, boot for a route added without `proto`.
 */
export const KERNEL_PROTOCOL = 2;
export const BOOT_PROTOCOL = 3;
/** The protocol BIRD writes its routes with (`RTPROT_BIRD`): how learned BGP routes are told apart. */
export const BIRD_PROTOCOL = 12;

/** The table names every iproute2 knows (its built-in rt_tables). */
export const ROUTE_TABLE_NUMBERS: Readonly<Record<string, number>> = {
  default: DEFAULT_TABLE,
  main: MAIN_TABLE,
  local: LOCAL_TABLE,
};

/**
 * A table or protocol as iproute2 printed it ("main", "100", 100, "vpn"): a number when it is
 * one or the name is in `names`, else the name as printed.
 */
export function routeIdOf(
  value: string | number,
  names: Readonly<Record<string, number>>,
): number | string {
  if (typeof value === "number") return value;
  if (/^\d+$/.test(value)) return Number(value);
  return names[value] ?? value;
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
  unspec: 0,
  redirect: 1,
  kernel: KERNEL_PROTOCOL,
  boot: BOOT_PROTOCOL,
  static: 4,
  gated: 8,
  ra: 9,
  mrt: 10,
  zebra: 11,
  bird: BIRD_PROTOCOL,
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
