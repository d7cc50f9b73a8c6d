import type { Link, Route } from "../model/index.js";
import { MAIN_TABLE, ROUTE_PROTOCOL } from "../model/index.js";
import { describeNextHops } from "./field-changes.js";
import { routeProtocolName } from "./ownership-rules.js";
import type { ObjectKind, PlanObjects } from "./plan.js";

/**
 * How plans name objects for humans. A label is short and identifies the object
 * ("route 10.244.2.0/24"); a description is an `ip`-like one-liner of the whole object.
 */

type Describers = { readonly [K in ObjectKind]: (object: PlanObjects[K]) => string };

const LABELS: Describers = {
  namespace: (n) => `namespace ${n.name}`,
  link: (l) => `link ${l.name}`,
  address: (a) => `address ${a.cidr} on ${a.dev}`,
  route: (r) =>
    `route ${r.dst}${r.table === MAIN_TABLE ? "" : ` table ${r.table}`}${
      r.metric === 0 ? "" : ` metric ${r.metric}`
    }`,
  neighbour: (n) => `neighbour ${n.dst} on ${n.dev}`,
  fdb: (f) => `fdb ${f.mac} dst ${f.dst} on ${f.dev}`,
  sysctl: (s) => `sysctl ${s.key}`,
  file: (f) => `file ${f.path}`,
  service: (s) => `service ${s.name}`,
  pathMtu: (e) => `route cache to ${e.dst}`,
};

const words = (...parts: readonly (string | false | undefined)[]): string =>
  parts.filter((part): part is string => typeof part === "string" && part !== "").join(" ");

function describeLink(link: Link): string {
  const vxlan = link.vxlan;
  return words(
    `link ${link.name}`,
    link.kind !== "" && `type ${link.kind}`,
    vxlan &&
      words(
        `id ${vxlan.id} local ${vxlan.local} dev ${vxlan.dev} dstport ${vxlan.port}`,
        !vxlan.learning && "nolearning",
      ),
    link.peer && `peer ${link.peer.name} netns ${link.peer.netns}`,
    `mtu ${link.mtu}`,
    link.mac && `address ${link.mac}`,
    link.master && `master ${link.master}`,
    link.up ? "up" : "down",
  );
}

/** Proto 77 is left out: every route the tool writes carries it. */
function describeRoute(route: Route): string {
  return words(
    "route",
    route.type !== "unicast" && route.type,
    route.dst,
    route.via && `via ${route.via}`,
    route.dev && `dev ${route.dev}`,
    route.nexthops && `nexthops ${describeNextHops(route.nexthops)}`,
    route.onlink && "onlink",
    route.scope !== "global" && `scope ${route.scope}`,
    route.protocol !== ROUTE_PROTOCOL && `proto ${routeProtocolName(route.protocol)}`,
    route.metric !== 0 && `metric ${route.metric}`,
    route.table !== MAIN_TABLE && `table ${route.table}`,
  );
}

const DESCRIPTIONS: Describers = {
  namespace: (n) => `netns ${n.name}`,
  link: describeLink,
  address: (a) => `address ${a.cidr} dev ${a.dev}`,
  route: describeRoute,
  neighbour: (n) =>
    words(
      `neigh ${n.dst}`,
      n.lladdr && `lladdr ${n.lladdr}`,
      `dev ${n.dev}`,
      n.permanent && "nud permanent",
    ),
  fdb: (f) => `fdb ${f.mac} dev ${f.dev} dst ${f.dst} self permanent`,
  sysctl: (s) => `sysctl ${s.key} = ${s.value}`,
  file: (f) => `file ${f.path} (${f.content.split("\n").length} lines)`,
  service: (s) => `service ${s.name} ${s.running ? "running" : "stopped"}`,
  pathMtu: (e) =>
    words(`route cache ${e.dst}`, e.via && `via ${e.via}`, e.dev && `dev ${e.dev}`, `mtu ${e.mtu}`),
};

/** "route 10.244.2.0/24", "link flannel.1": what a reason or a conflict starts with. */
export const labelObject = <K extends ObjectKind>(kind: K, object: PlanObjects[K]): string =>
  (LABELS[kind] as (object: PlanObjects[K]) => string)(object);

/** "route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink": the object as `ip` would show it. */
export const describeObject = <K extends ObjectKind>(kind: K, object: PlanObjects[K]): string =>
  (DESCRIPTIONS[kind] as (object: PlanObjects[K]) => string)(object);

/**
 * A reason is "<label>: <detail>"; renderers that already show the object print the detail.
 * Joined rather than concatenated: a join gives one flat string, where `+` and templates give
 * a tree of pieces that a plan of millions of changes holds until it is printed (a reason
 * costs about 60 bytes instead of 150).
 */
export const formatReason = (label: string, detail: string): string => [label, detail].join(": ");
