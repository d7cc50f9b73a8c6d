import {
  BOOT_PROTOCOL,
  MAIN_TABLE,
  ROUTE_PROTOCOL_NUMBERS,
  ROUTE_TABLE_NUMBERS,
  routeIdOf,
  type Route,
} from "../model/route.js";
import { readEntries, type JsonEntry } from "./json-entries.js";
import { ObservationError } from "./observation-error.js";
import { ROUTE_SCOPES, ROUTE_TYPES } from "../model/route-vocabulary.js";

const COMMAND = "ip -j route show table all";

/**
 * IPv4 routes of every table from `ip -j route show table all`, with the defaults `ip -j`
 * leaves out made explicit: no table is main (254), no type unicast, no metric 0, no scope
 * global, and no protocol boot (3): a route added without `proto` has no "protocol" key.
 * `src` is printed as "prefsrc".
 * A table or protocol name that only the host's rt_tables / rt_protos knows is kept as
 * printed: such routes are foreign, and must never make a host unplannable.
 */
export function parseIpRoutes(json: unknown): Route[] {
  // Entries keep their position in the listing, so an error points at the right one.
  return readEntries(json, COMMAND).flatMap((entry, index) =>
    entry.string("dst").includes(":") ? [] : [parseIpRoute(entry, index)],
  );
}

function parseIpRoute(entry: JsonEntry, index: number): Route {
  const via = entry.optionalString("gateway");
  const dev = entry.optionalString("dev");
  const prefsrc = entry.optionalString("prefsrc");
  return {
    dst: normaliseDst(entry.string("dst")),
    table: routeIdOf(entry.optionalNameOrNumber("table") ?? MAIN_TABLE, ROUTE_TABLE_NUMBERS),
    type: oneOf(entry.optionalString("type") ?? "unicast", ROUTE_TYPES, "type", index),
    metric: entry.optionalNumber("metric") ?? 0,
    ...(via !== undefined && { via }),
    ...(dev !== undefined && { dev }),
    ...(prefsrc !== undefined && { prefsrc }),
    onlink: entry.strings("flags").includes("onlink"),
    scope: oneOf(entry.optionalString("scope") ?? "global", ROUTE_SCOPES, "scope", index),
    protocol: routeIdOf(
      entry.optionalNameOrNumber("protocol") ?? BOOT_PROTOCOL,
      ROUTE_PROTOCOL_NUMBERS,
    ),
  };
}

/** "default" is 0.0.0.0/0; a host route is printed as a bare address. */
function normaliseDst(dst: string): string {
  if (dst === "default") return "0.0.0.0/0";
  return dst.includes("/") ? dst : `${dst}/32`;
}

function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  key: string,
  index: number,
): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found !== undefined) return found;
  throw new ObservationError(
    `${COMMAND}: entry ${index}: "${key}" is ${JSON.stringify(value)}, expected one of ${allowed.join(", ")}`,
  );
}
