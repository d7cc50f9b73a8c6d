import type { Address } from "../model/address.js";
import type { ObservedHost } from "../model/host-state.js";
import type { JsonPathStep } from "../model/json-position.js";
import type { NetState } from "../model/host-state.js";
import type { Route } from "../model/route.js";
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
 * host or a link of a namespace named twice, a number out of the kernel's
 * range (an MTU of 0 or less, a vxlan id over 24 bits, ...: RANGES), a route destination or
 * an address that is not an IPv4 CIDR, a gateway that is not an IPv4 address. The planner
 * would otherwise compare against it or crash on it later. Pure.
 */
export function findSnapshotValueProblem(
  hosts: readonly Pick<ObservedHost, "host" | "state">[],
  topologyHosts?: readonly string[],
): SnapshotValueProblem | undefined {
  const seen = new Map<string, number>();
  for (const [index, { host, state }] of hosts.entries()) {
    const first = seen.get(host);
    if (first !== undefined) {
      return {
        path: ["hosts", index, "host"],
        message: `hosts[${index}].host ${JSON.stringify(host)} is already hosts[${first}].host: each host appears once`,
      };
    }
    seen.set(host, index);
    if (topologyHosts !== undefined && !topologyHosts.includes(host)) {
      return {
        path: ["hosts", index, "host"],
        message:
          `hosts[${index}].host ${JSON.stringify(host)} is not a host of the topology (its ` +
          `hosts: ${topologyHosts.join(", ")}): observe again with this topology, or remove ` +
          `hosts[${index}]`,
      };
    }
    const namespace = findDuplicate(state.namespaces.map((ns) => ns.name));
    if (namespace !== undefined) {
      const where: JsonPathStep[] = ["hosts", index, "state", "namespaces", namespace.at, "name"];
      return {
        path: where,
        message: `${pathText(where)} ${JSON.stringify(namespace.name)} is already namespaces[${namespace.first}].name: a host holds one namespace of a name`,
      };
    }
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
  return undefined;
}

/** The first name that repeats: where it repeats and where it was first. */
function findDuplicate(
  names: readonly string[],
): { readonly name: string; readonly at: number; readonly first: number } | undefined {
  const seen = new Map<string, number>();
  for (const [at, name] of names.entries()) {
    const first = seen.get(name);
    if (first !== undefined) return { name, at, first };
    seen.set(name, at);
  }
  return undefined;
}

function findNetProblem(
  path: readonly JsonPathStep[],
  net: Pick<NetState, "links" | "addresses" | "routes">,
): SnapshotValueProblem | undefined {
  // The kernel names a link once in a namespace: a second would silently stand for the first.
  const link = findDuplicate(net.links.map((l) => l.name));
  if (link !== undefined) {
    const where = [...path, "links", link.at, "name"];
    return {
      path: where,
      message: `${pathText(where)} ${JSON.stringify(link.name)} is already links[${link.first}].name: a namespace holds one link of a name`,
    };
  }
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
    const problem = describeIpv4Problem(value, withPrefix);
    if (problem !== undefined) {
      return {
        path: where,
        message: `${pathText(where)} ${JSON.stringify(value)} ${problem}`,
      };
    }
  }
  return undefined;
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
