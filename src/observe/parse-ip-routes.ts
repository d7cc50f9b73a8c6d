import { ROUTE_PROTOCOL_NUMBERS, type Route } from "../model/route.js";
import { readEntries, type JsonEntry } from "./json-entries.js";
import { ObservationError } from "./observation-error.js";
import { ROUTE_SCOPES, ROUTE_TYPES } from "../model/route-vocabulary.js";

const COMMAND = "ip -j route show table all";

/** Table names iproute2 prints instead of numbers (its rt_tables). */
const TABLE_NUMBERS: Readonly<Record<string, number>> = { default: 253, main: 254, local: 255 };

/**
 * IPv4 routes of every table from `ip -j route show table all`, with the defaults `ip -j`
 * leaves out made explicit: no table is main (254), no type unicast, no metric 0, no scope
 * global, and no protocol boot (3): a route added without `proto` has no "protocol" key.
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
  return {
    dst: normaliseDst(entry.string("dst")),
    table: numberOf(entry.optionalNameOrNumber("table"), TABLE_NUMBERS, 254, "table", index),
    type: oneOf(entry.optionalString("type") ?? "unicast", ROUTE_TYPES, "type", index),
    metric: entry.optionalNumber("metric") ?? 0,
    ...(via !== undefined && { via }),
    ...(dev !== undefined && { dev }),
    onlink: entry.strings("flags").includes("onlink"),
    scope: oneOf(entry.optionalString("scope") ?? "global", ROUTE_SCOPES, "scope", index),
    protocol: numberOf(
      entry.optionalNameOrNumber("protocol"),
      ROUTE_PROTOCOL_NUMBERS,
      ROUTE_PROTOCOL_NUMBERS["boot"] ?? 3,
      "protocol",
      index,
    ),
  };
}

/** "default" is 0.0.0.0/0; a host route is printed as a bare address. */
function normaliseDst(dst: string): string {
  if (dst === "default") return "0.0.0.0/0";
  return dst.includes("/") ? dst : `${dst}/32`;
}

/** A name from iproute2's tables, or a number printed as a string ("77", "100"). */
function numberOf(
  value: string | number | undefined,
  names: Readonly<Record<string, number>>,
  absent: number,
  key: string,
  index: number,
): number {
  if (value === undefined) return absent;
  if (typeof value === "number") return value;
  if (/^\d+$/.test(value)) return Number(value);
  const named = names[value];
  if (named !== undefined) return named;
  throw new ObservationError(
    `${COMMAND}: entry ${index}: "${key}" is ${JSON.stringify(value)}, a name netplan-k cannot ` +
      `turn into a number (it knows ${Object.keys(names).join(", ")} and numbers)`,
  );
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
