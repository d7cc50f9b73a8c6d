import type { FdbEntry, Link, Neighbour, Route } from "../model/index.js";
import { routeProtocolName } from "./ownership-rules.js";

/**
 * The differences between a desired and an observed object, one "field old → new" each, in a
 * fixed field order. Empty means equal. Only what the desired state specifies is compared.
 */

const NONE = "(none)";
const shown = (value: string | undefined): string =>
  value === undefined || value === "" ? NONE : value;
const state = (up: boolean): string => (up ? "up" : "down");

export const formatFieldChange = (field: string, observed: string, desired: string): string =>
  `${field} ${observed} → ${desired}`;

function compare(
  changes: string[],
  field: string,
  observed: string | number | boolean | undefined,
  desired: string | number | boolean | undefined,
): void {
  if (observed !== desired) {
    const text = (value: typeof observed) => shown(value === undefined ? undefined : String(value));
    changes.push(formatFieldChange(field, text(observed), text(desired)));
  }
}

/** ip prints MACs in lower case, but a hand-written topology may not. */
const normalMac = (mac: string | undefined): string | undefined => mac?.toLowerCase();

/**
 * What the kernel cannot change on a live device: the kind, and a VTEP's id, port, local
 * address, underlay device and learning flag. Any of these means delete and create again.
 */
export function linkRecreateCauses(desired: Link, observed: Link): string[] {
  const causes: string[] = [];
  compare(causes, "kind", observed.kind, desired.kind);
  const want = desired.vxlan;
  if (want !== undefined && causes.length === 0) {
    const found = observed.vxlan;
    compare(causes, "vxlan id", found?.id, want.id);
    compare(causes, "vxlan dstport", found?.port, want.port);
    compare(causes, "vxlan local", found?.local, want.local);
    compare(causes, "vxlan dev", found?.dev, want.dev);
    compare(causes, "vxlan learning", found?.learning, want.learning);
  }
  return causes;
}

/**
 * What `ip link set` changes in place. mac and alias are compared only when desired sets
 * them. master is compared whenever either side has one: an owned link still enslaved to a
 * bridge the topology no longer wants (attach bridge → routed) must be detached (`nomaster`).
 * `peer` is not compared: the kernel does not report it; the peer is a link of its namespace.
 */
export function linkFieldChanges(desired: Link, observed: Link): string[] {
  const changes: string[] = [];
  compare(changes, "mtu", observed.mtu, desired.mtu);
  if (observed.up !== desired.up) {
    changes.push(formatFieldChange("state", state(observed.up), state(desired.up)));
  }
  if (desired.mac !== undefined) {
    compare(changes, "mac", normalMac(observed.mac), normalMac(desired.mac));
  }
  if (desired.alias !== undefined) compare(changes, "alias", observed.alias, desired.alias);
  compare(changes, "master", observed.master, desired.master);
  return changes;
}

/** `ip route replace` rewrites every attribute of a route, so every field is in-place. */
export function routeFieldChanges(desired: Route, observed: Route): string[] {
  const changes: string[] = [];
  compare(changes, "type", observed.type, desired.type);
  compare(changes, "via", observed.via, desired.via);
  compare(changes, "dev", observed.dev, desired.dev);
  compare(changes, "onlink", observed.onlink, desired.onlink);
  compare(changes, "scope", observed.scope, desired.scope);
  compare(
    changes,
    "proto",
    routeProtocolName(observed.protocol),
    routeProtocolName(desired.protocol),
  );
  return changes;
}

/** `ip neigh replace` sets the link-layer address and the state in place. */
export function neighbourFieldChanges(desired: Neighbour, observed: Neighbour): string[] {
  const changes: string[] = [];
  compare(changes, "lladdr", normalMac(observed.lladdr), normalMac(desired.lladdr));
  compare(changes, "permanent", observed.permanent, desired.permanent);
  return changes;
}

/**
 * An fdb entry of a unicast MAC has one destination, which `bridge fdb replace` moves in
 * place; a flood MAC's destinations are each their own entry (fdbKey), so they never differ.
 */
export function fdbFieldChanges(desired: FdbEntry, observed: FdbEntry): string[] {
  const changes: string[] = [];
  compare(changes, "dst", observed.dst, desired.dst);
  return changes;
}
