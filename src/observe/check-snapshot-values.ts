import { Address6 } from "ip-address";
import { addressKey, type Address } from "../model/address.js";
import type { ObservedHost } from "../model/host-state.js";
import type { JsonPathStep } from "../model/json-position.js";
import type { NetState } from "../model/host-state.js";
import { linkKey } from "../model/link.js";
import { neighbourKey } from "../model/neighbour.js";
import { ROUTE_TABLE_NUMBERS, routeIdOf, type Route } from "../model/route.js";
import { parseIpv4 } from "../topology/parse-address.js";

/** A value of a snapshot that the schema lets through but no kernel ever printed. */
export interface SnapshotValueProblem {
  /** Where the value is, for its file position. */
  readonly path: readonly JsonPathStep[];
  /** What is wrong, naming the field as hosts[0].state.root.routes[2].dst. */
  readonly message: string;
}

/**
 * The first value of a schema-valid snapshot that cannot be what `observe` wrote: a host
 * named twice (the second would silently stand for the first), a host not in
 * `topologyHosts` (when given: the topology the snapshot is planned with), a namespace of a
 * host or a link of a namespace named twice, an address, route or neighbour held twice
 * (findRepeat), a number out of the kernel's
 * range (an MTU of 0 or less, a vxlan id over 24 bits, ...: RANGES), a route destination or
 * an address that is not an IPv4 or IPv6 CIDR, a gateway that is not an IP address. The planner
 * would otherwise compare against it or crash on it later. Pure.
 */
export function findSnapshotValueProblem(
  hosts: readonly Pick<ObservedHost, "host" | "state">[],
  topologyHosts?: readonly string[],
): SnapshotValueProblem | undefined {
  const host = findRepeat({
    path: [],
    list: "hosts",
    items: hosts,
    field: "host",
    identity: (h) => h.host,
    rule: "each host appears once",
  });
  if (host !== undefined) return host;
  for (const [index, { host, state }] of hosts.entries()) {
    if (topologyHosts !== undefined && !topologyHosts.includes(host)) {
      return {
        path: ["hosts", index, "host"],
        message:
          `hosts[${index}].host ${JSON.stringify(host)} is not a host of the topology (its ` +
          `hosts: ${topologyHosts.join(", ")}): observe again with this topology, or remove ` +
          `hosts[${index}]`,
      };
    }
    const namespace = findRepeat({
      path: ["hosts", index, "state"],
      list: "namespaces",
      items: state.namespaces,
      field: "name",
      identity: (ns) => ns.name,
      rule: "a host holds one namespace of a name",
    });
    if (namespace !== undefined) return namespace;
    const nets: [JsonPathStep[], NetState][] = [
      [["hosts", index, "state", "root"], state.root],
      ...state.namespaces.map((n, i): [JsonPathStep[], NetState] => [
        ["hosts", index, "state", "namespaces", i, "net"],
        n.net,
      ]),
    ];
    for (const [path, net] of nets) {
      const problem = findNetProblem(path, net);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/**
 * Numbers no kernel prints, with the range it keeps them in: an MTU is positive (the kernel
 * stores an int; `ip link set mtu 0` is refused on every device netplan-k manages), a vxlan
 * id has 24 bits (RFC 7348), a UDP port 16, a route metric 32 (its priority attribute), a
 * route protocol 8 (rtm_protocol); a table number is a u32.
 */
const RANGES = {
  mtu: [1, 2 ** 31 - 1],
  id: [0, 2 ** 24 - 1],
  port: [0, 65535],
  metric: [0, 2 ** 32 - 1],
  protocol: [0, 255],
  table: [0, 2 ** 32 - 1],
} as const;

function findNumberProblem(
  path: readonly JsonPathStep[],
  net: Pick<NetState, "links" | "routes">,
): SnapshotValueProblem | undefined {
  const checks = [
    ...net.links.flatMap((link, i) => [
      [[...path, "links", i, "mtu"], link.mtu, RANGES.mtu] as const,
      ...(link.vxlan === undefined
        ? []
        : [
            [[...path, "links", i, "vxlan", "id"], link.vxlan.id, RANGES.id] as const,
            [[...path, "links", i, "vxlan", "port"], link.vxlan.port, RANGES.port] as const,
          ]),
    ]),
    ...net.routes.flatMap((route, i) => [
      [[...path, "routes", i, "metric"], route.metric, RANGES.metric] as const,
      // A protocol or table given by name is the host's iproute2's to resolve.
      ...(typeof route.protocol === "number"
        ? [[[...path, "routes", i, "protocol"], route.protocol, RANGES.protocol] as const]
        : []),
      ...(typeof route.table === "number"
        ? [[[...path, "routes", i, "table"], route.table, RANGES.table] as const]
        : []),
    ]),
  ];
  for (const [where, value, [low, high]] of checks) {
    if (value < low || value > high) {
      return {
        path: where,
        message: `${pathText(where)} ${value} is impossible: a kernel holds ${low} to ${high} there`,
      };
    }
  }
  return findNumberedTableName(path, net.routes);
}

/**
 * A route's table written as a name or digits that observe turns into a number: `ip -j route`
 * prints a table as a string (`"table":"local"`, `"table":"50"`; recorded in
 * test/fixtures/kernel/truth-faults/route-underlay-gateway-detour.json) and leaves the key out
 * for main, and observe writes each of those as its number (255, 50, 254). Only a name from the
 * host's own rt_tables stays a name. A snapshot saying `"table":"main"` would be read as
 * another table than 254, so that a route of main is taken for a foreign one.
 */
function findNumberedTableName(
  path: readonly JsonPathStep[],
  routes: readonly Route[],
): SnapshotValueProblem | undefined {
  for (const [i, route] of routes.entries()) {
    if (typeof route.table !== "string") continue;
    const number = routeIdOf(route.table, ROUTE_TABLE_NUMBERS);
    if (typeof number !== "number") continue;
    const where = [...path, "routes", i, "table"];
    return {
      path: where,
      message:
        `${pathText(where)} ${JSON.stringify(route.table)} is not how observe writes that ` +
        `table: write it as the number ${number} (observe numbers main, local, default and ` +
        "digits; only a name of the host's own rt_tables stays a name)",
    };
  }
  return undefined;
}

/**
 * A list of a snapshot whose items `observe` never writes twice: the kernel (or observe
 * itself) holds each identity once, so a second item would silently stand for the first.
 */
interface UniqueList<T> {
  /** Where the list's owner is ([] for the snapshot itself). */
  readonly path: readonly JsonPathStep[];
  readonly list: string;
  readonly items: readonly T[];
  /** The item's field a message points at and shows. */
  readonly field: keyof T & string;
  /** What makes two items the same object. */
  readonly identity: (item: T) => string;
  /** Shown after the field's value: what else the identity holds (" on cni0"). */
  readonly context?: (item: T) => string;
  /** What holds once, for the message: "a namespace holds one link of a name". */
  readonly rule: string;
}

/**
 * The one duplicate finder of every kind (hosts, namespaces, links, addresses, routes,
 * neighbours): the first item whose identity repeats, as a problem at its field naming where
 * the identity was first, e.g. `hosts[1].state.root.links[4].name "eth0" is already
 * links[0].name: a namespace holds one link of a name`. Pure.
 */
function findRepeat<T>(unique: UniqueList<T>): SnapshotValueProblem | undefined {
  const seen = new Map<string, number>();
  for (const [at, item] of unique.items.entries()) {
    const identity = unique.identity(item);
    const first = seen.get(identity);
    if (first === undefined) {
      seen.set(identity, at);
      continue;
    }
    const where = [...unique.path, unique.list, at, unique.field];
    const value = JSON.stringify(item[unique.field]);
    return {
      path: where,
      message:
        `${pathText(where)} ${value}${unique.context?.(item) ?? ""} is already ` +
        `${unique.list}[${first}].${unique.field}: ${unique.rule}`,
    };
  }
  return undefined;
}

/**
 * A route's every field, keys sorted: the kernel lists two routes of one routeKey (`ip route
 * prepend`, another type in table local), but never the same route twice (EEXIST).
 */
const routeIdentity = (route: Route): string =>
  JSON.stringify(Object.entries(route).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function findNetProblem(
  path: readonly JsonPathStep[],
  net: Pick<NetState, "links" | "addresses" | "routes" | "neighbours">,
): SnapshotValueProblem | undefined {
  const repeat =
    findRepeat({
      path,
      list: "links",
      items: net.links,
      field: "name",
      identity: linkKey,
      rule: "a namespace holds one link of a name",
    }) ??
    findRepeat({
      path,
      list: "addresses",
      items: net.addresses,
      field: "cidr",
      identity: addressKey,
      context: (a) => ` on ${a.dev}`,
      rule: "a device holds an address once",
    }) ??
    findRepeat({
      path,
      list: "routes",
      items: net.routes,
      field: "dst",
      identity: routeIdentity,
      context: (r) => ` in table ${r.table}`,
      rule: "the same route, field for field (the kernel lists a route once)",
    }) ??
    findRepeat({
      path,
      list: "neighbours",
      items: net.neighbours,
      field: "dst",
      identity: neighbourKey,
      context: (n) => ` on ${n.dev}`,
      rule: "a device holds one neighbour entry of an address",
    });
  if (repeat !== undefined) return repeat;
  const numbers = findNumberProblem(path, net);
  if (numbers !== undefined) return numbers;
  const checks = [
    ...net.addresses.map(
      (a: Address, i) => [[...path, "addresses", i, "cidr"], a.cidr, true] as const,
    ),
    ...net.routes.flatMap((r: Route, i) => [
      [[...path, "routes", i, "dst"], r.dst, true] as const,
      ...(r.via === undefined ? [] : [[[...path, "routes", i, "via"], r.via, false] as const]),
    ]),
  ];
  for (const [where, value, withPrefix] of checks) {
    const problem = describeIpProblem(value, withPrefix);
    if (problem !== undefined) {
      return {
        path: where,
        message: `${pathText(where)} ${JSON.stringify(value)} ${problem}`,
      };
    }
  }
  return undefined;
}

/**
 * Why `value` is not an IPv4 or IPv6 CIDR or address as observe writes it, or undefined when
 * it is one. An IPv6 value (it holds a colon) is judged by ip-address's Address6, with the
 * prefix length 0–128 when `withPrefix`: a host holds IPv6 addresses and routes whether or not
 * its cluster is dual-stack, so an IPv4-only topology's snapshot has them too.
 */
function describeIpProblem(value: string, withPrefix: boolean): string | undefined {
  return value.includes(":")
    ? describeIpv6Problem(value, withPrefix)
    : describeIpv4Problem(value, withPrefix);
}

function describeIpv6Problem(value: string, withPrefix: boolean): string | undefined {
  const kind = withPrefix ? "an IPv6 CIDR (2001:db8::/n)" : "an IPv6 address";
  const slash = value.indexOf("/");
  if (withPrefix !== slash >= 0) return `is not ${kind}`;
  if (withPrefix && !/^\d{1,3}$/.test(value.slice(slash + 1))) return `is not ${kind}`;
  if (withPrefix && Number(value.slice(slash + 1)) > 128)
    return `is not ${kind}: its prefix length is over 128`;
  return Address6.isValid(withPrefix ? value.slice(0, slash) : value)
    ? undefined
    : `is not ${kind}`;
}

/** Why `value` is not an IPv4 CIDR ("a.b.c.d/n") or address, or undefined when it is one. */
function describeIpv4Problem(value: string, withPrefix: boolean): string | undefined {
  const shape = withPrefix ? /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/ : /^\d{1,3}(\.\d{1,3}){3}$/;
  const kind = withPrefix ? "an IPv4 CIDR (a.b.c.d/n)" : "an IPv4 address";
  if (!shape.test(value)) return `is not ${kind}`;
  const parsed = parseIpv4(value, withPrefix);
  return parsed.ok ? undefined : `is not ${kind}: ${parsed.problem}`;
}

/** ["hosts", 0, "state", "root"] as "hosts[0].state.root". */
const pathText = (path: readonly JsonPathStep[]): string =>
  path.reduce<string>(
    (text, step) =>
      typeof step === "number" ? `${text}[${step}]` : text === "" ? step : `${text}.${step}`,
    "",
  );
