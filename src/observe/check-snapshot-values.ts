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
 * named twice (the second would silently stand for the first), a route destination or an
 * address that is not an IPv4 CIDR, a gateway that is not an IPv4 address. The planner
 * would otherwise compare against it or crash on it later. Pure.
 */
export function findSnapshotValueProblem(
  hosts: readonly Pick<ObservedHost, "host" | "state">[],
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

function findNetProblem(
  path: readonly JsonPathStep[],
  net: Pick<NetState, "addresses" | "routes">,
): SnapshotValueProblem | undefined {
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
