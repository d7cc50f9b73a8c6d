import type { FdbEntry, Link, Neighbour, Route, RouteNextHop } from "../model/index.js";
import { FORWARDING_PORT, isFloodMac } from "../model/index.js";
import { routeProtocolName } from "./ownership-rules.js";

/**
 * The differences between a desired and an observed object, one FieldChange each, in a fixed
 * field order. Empty means equal: the planner decides on this data, and only the plan's text
 * is made from it (formatFieldChanges). Only what the desired state specifies is compared.
 */

/**
 * One field in which the observed object differs from the desired one, with both values as a
 * plan shows them; without values when they are too long for a line (a file's content).
 */
export interface FieldChange {
  readonly field: string;
  readonly values?: { readonly observed: string; readonly desired: string };
}

const NONE = "(none)";
const shown = (value: string | undefined): string =>
  value === undefined || value === "" ? NONE : value;
const state = (up: boolean): string => (up ? "up" : "down");

/** A field and its values as shown values. */
export const fieldChange = (field: string, observed: string, desired: string): FieldChange => ({
  field,
  values: { observed, desired },
});

/** "field old → new", or "field differs" when the values are not shown. */
export const formatFieldChange = ({ field, values }: FieldChange): string =>
  values === undefined ? `${field} differs` : `${field} ${values.observed} → ${values.desired}`;

/** The reason's detail for an update: each difference, comma-separated. */
export const formatFieldChanges = (changes: readonly FieldChange[]): string =>
  changes.map(formatFieldChange).join(", ");

function compare(
  changes: FieldChange[],
  field: string,
  observed: string | number | boolean | undefined,
  desired: string | number | boolean | undefined,
): void {
  if (observed !== desired) {
    const text = (value: typeof observed) => shown(value === undefined ? undefined : String(value));
    changes.push(fieldChange(field, text(observed), text(desired)));
  }
}

/** ip prints MACs in lower case, but a hand-written topology may not. */
const normalMac = (mac: string | undefined): string | undefined => mac?.toLowerCase();

/**
 * What the kernel cannot change on a live device: the kind, and a VTEP's id, port, local
 * address, underlay device and learning flag. Any of these means delete and create again.
 */
export function linkRecreateCauses(desired: Link, observed: Link): FieldChange[] {
  const causes: FieldChange[] = [];
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
export function linkFieldChanges(desired: Link, observed: Link): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, "mtu", observed.mtu, desired.mtu);
  if (observed.up !== desired.up) {
    changes.push(fieldChange("state", state(observed.up), state(desired.up)));
  }
  if (desired.mac !== undefined) {
    compare(changes, "mac", normalMac(observed.mac), normalMac(desired.mac));
  }
  if (desired.alias !== undefined) compare(changes, "alias", observed.alias, desired.alias);
  compare(changes, "master", observed.master, desired.master);
  changes.push(...arpFieldChanges(desired, observed));
  changes.push(...portFieldChanges(desired, observed));
  return changes;
}

/**
 * ARP switched off (NOARP) and STP switched on, each where it stops the topology's packets,
 * measured on labs (vxlan attach bridge, bgp attach routed; pings between workloads of two
 * hosts with every neighbour flushed):
 * - `arp off` on cni0, on a workload's eth0 or on a routed veth: no packet flows. On a bridge's
 *   port it changes nothing (the port does not speak ARP, the bridge does), nor on a VTEP,
 *   whose neighbours netplan-k pins (turning the flag off or on flushes them, which the
 *   neighbours' own changes put back). So it is compared on links that are not ports, but for
 *   VTEPs;
 * - `stp_state 1` on the bridge: new ports sit in listening, then learning, for two forward
 *   delays (30 s), and the kernel refuses to set a port's state (EBUSY). netplan-k makes its
 *   bridge without STP; switching it off leaves a port as it was, which can then be set.
 */
function arpFieldChanges(desired: Link, observed: Link): FieldChange[] {
  const changes: FieldChange[] = [];
  if (isArpChanged(desired, observed)) changes.push(fieldChange("arp", "off", "on"));
  if (isStpChanged(desired, observed)) changes.push(fieldChange("stp", "on", "off"));
  return changes;
}

/** Whether the plan must switch ARP back on (see arpFieldChanges). */
export const isArpChanged = (desired: Link, observed: Link): boolean =>
  observed.noarp === true && desired.master === undefined && desired.kind !== "vxlan";

/** Whether the plan must switch STP off on the bridge (see arpFieldChanges). */
export const isStpChanged = (desired: Link, observed: Link): boolean =>
  desired.kind === "bridge" && observed.stp === true;

/**
 * How a port of the bridge the topology wants stops passing the topology's frames, measured on
 * a lab (vxlan, attach bridge: pings between workloads of two hosts, ARP and fdb flushed):
 * - its STP state: `state 1` (listening) and `state 2` (learning) stick on a bridge without
 *   STP and drop every frame; `state 0` and `state 4` are taken back to forwarding at once by
 *   the kernel; a port that is down reads "disabled" and forwards again once up (the link's
 *   own state field says so), so the state is judged only on a port that is up;
 * - learning and flood both off: the bridge neither learns the workload's MAC nor floods
 *   frames for it to the port. Either one alone still passes every frame (flooding or learning
 *   covers for the other), so it is not a change;
 * - isolated on: no frame passes between two isolated ports, so the workloads of one host
 *   cannot reach each other once two of their ports are. One isolated port alone still talks
 *   to the others, but netplan-k never isolates a port, so any isolated port is put back;
 * - bcast_flood off: the workload behind the port hears no ARP request, and IPv4 to it fails
 *   once the neighbours expire; mcast_flood off: the same for IPv6's neighbour solicitations
 *   (measured in namespaces, each on the destination's port alone). Each is put back.
 * Compared only when the port is on the bridge the topology wants: a port elsewhere shows as a
 * master change, and enslaving it again gives a fresh port.
 */
function portFieldChanges(desired: Link, observed: Link): FieldChange[] {
  const port = observed.port;
  if (desired.master === undefined || observed.master !== desired.master) return [];
  if (port === undefined || !observed.up) return [];
  const changes: FieldChange[] = [];
  compare(changes, "port state", port.state, FORWARDING_PORT.state);
  if (!port.learning && !port.flood) {
    const onOff = (on: boolean): string => (on ? "on" : "off");
    compare(changes, "port learning", onOff(port.learning), onOff(FORWARDING_PORT.learning));
    compare(changes, "port flood", onOff(port.flood), onOff(FORWARDING_PORT.flood));
  }
  if (port.isolated === true) changes.push(fieldChange("port isolated", "on", "off"));
  if (port.bcastFlood === false) changes.push(fieldChange("port bcast_flood", "off", "on"));
  if (port.mcastFlood === false) changes.push(fieldChange("port mcast_flood", "off", "on"));
  return changes;
}

/** Whether the plan must set a port's forwarding settings back (see portFieldChanges). */
export const isPortChanged = (desired: Link, observed: Link): boolean =>
  portFieldChanges(desired, observed).length > 0;

/** `ip route replace` rewrites every attribute of a route, so every field is in-place. */
export function routeFieldChanges(desired: Route, observed: Route): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, "type", observed.type, desired.type);
  if (observed.nexthops !== undefined) {
    // A multipath route has no gateway, device or onlink of its own: its next hops differ.
    changes.push(
      fieldChange("nexthops", describeNextHops(observed.nexthops), describeNextHops([desired])),
    );
  } else {
    compare(changes, "via", observed.via, desired.via);
    compare(changes, "dev", observed.dev, desired.dev);
    compare(changes, "onlink", observed.onlink, desired.onlink);
  }
  compare(changes, "scope", observed.scope, desired.scope);
  compare(
    changes,
    "proto",
    routeProtocolName(observed.protocol),
    routeProtocolName(desired.protocol),
  );
  return changes;
}

/** Next hops as `ip route` prints them: "via 2001:db8::13 dev eth0, via 2001:db8::14 dev eth0". */
export const describeNextHops = (hops: readonly RouteNextHop[]): string =>
  hops
    .map((hop) =>
      shown(
        [hop.via && `via ${hop.via}`, hop.dev && `dev ${hop.dev}`, hop.onlink === true && "onlink"]
          .filter((part): part is string => typeof part === "string" && part !== "")
          .join(" "),
      ),
    )
    .join(", ");

/** `ip neigh replace` sets the link-layer address and the state in place. */
export function neighbourFieldChanges(desired: Neighbour, observed: Neighbour): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, "lladdr", normalMac(observed.lladdr), normalMac(desired.lladdr));
  compare(changes, "permanent", observed.permanent, desired.permanent);
  return changes;
}

/**
 * An fdb entry of a unicast MAC has one destination, which `bridge fdb replace` moves in
 * place, and resets its port and VNI to the device's (measured on this kernel: a replace
 * without `port`/`vni` drops both overrides). A flood MAC's destinations are each their own
 * entry (fdbKey), never changed in place: netplan-k writes none, and their overrides are left.
 */
export function fdbFieldChanges(desired: FdbEntry, observed: FdbEntry): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, "dst", observed.dst, desired.dst);
  if (!isFloodMac(desired.mac)) {
    compare(changes, "port", observed.port, desired.port);
    compare(changes, "vni", observed.vni, desired.vni);
  }
  return changes;
}
