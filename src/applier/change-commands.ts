import { ROUTE_SCOPES, ROUTE_TYPES } from "../model/route-vocabulary.js";
import { isKernelFallbackDevice } from "../planner/normalisations.js";
import { quoteForRemoteShell } from "../transport/quote-for-remote-shell.js";
import {
  foundStateOfAlias,
  isFloodMac,
  MAIN_TABLE,
  type Address,
  type FdbEntry,
  type Link,
  type ManagedFile,
  type Neighbour,
  type Route,
  type Service,
  isBirdProtocolDown,
} from "../model/index.js";
import { IPIP_DEVICE } from "../modes/naming.js";
import type { Change, PlanObjects } from "../planner/plan.js";
import { ApplierError } from "./applier-error.js";
import { linkLocalOfMac } from "./link-local-address.js";
import {
  safeAlias,
  safeBirdSymbol,
  safeAddress,
  safeInteger,
  safeInterface,
  safePrefix,
  safeMac,
  safeNamespace,
  safePath,
  safeSysctlValue,
} from "./safe-values.js";
import { sysctlPath } from "./sysctl-path.js";

/**
 * The commands that carry out one change (docs/plan-json.md, "What the applier must know").
 *
 * - "ip": `ip -batch` lines without the leading `ip`, run as `ip -batch -` in the host's
 *   namespace or `ip -n <netns> -batch -` in a workload namespace;
 * - "bridge": `bridge -batch` lines (the VTEP's fdb entries);
 * - "sh": POSIX shell lines for what ip cannot do: sysctl and file writes, BIRD, tunl0.
 *
 * Pure: a change in, lines out; every value is validated (safe-values.ts) on the way.
 */
export type Executor = "ip" | "bridge" | "sh";

export interface CommandGroup {
  readonly executor: Executor;
  /** The workload namespace an "ip" group runs in; absent for the host's own namespace. */
  readonly netns?: string;
  readonly lines: readonly string[];
}

const MAX_U32 = 4294967295;

type ChangeOf<K extends Change["kind"]> = Extract<Change, { kind: K }>;

const words = (...parts: readonly (string | false | undefined)[]): string =>
  parts.filter((part): part is string => typeof part === "string" && part !== "").join(" ");

function unsupported(change: Change, why: string): never {
  throw new ApplierError(
    "apply.unsupported-change",
    `${change.action} of ${change.kind} ${change.key}: ${why}; the plan was not made by this version of netplan-k, or was edited`,
  );
}

function required<K extends Change["kind"]>(
  change: ChangeOf<K>,
  side: "before" | "after",
): PlanObjects[K] {
  const object = change[side] as PlanObjects[K] | undefined;
  return object ?? unsupported(change, `the change has no "${side}" object`);
}

const ipGroup = (netns: string | undefined, lines: readonly string[]): CommandGroup => ({
  executor: "ip",
  ...(netns !== undefined && { netns: safeNamespace(netns) }),
  lines,
});

const shGroup = (lines: readonly string[]): CommandGroup => ({ executor: "sh", lines });

const mtuWord = (mtu: number): string => `mtu ${safeInteger(mtu, "MTU", 68, 65535)}`;
const stateWord = (up: boolean): string => (up ? "up" : "down");

/** A bridge port's STP states by the number `type bridge_slave state N` takes (if_bridge.h). */
const BRIDGE_PORT_STATES = ["disabled", "listening", "learning", "forwarding", "blocking"];

/**
 * `link set` of a new link: alias, master and state. A bridge also gets its MTU here, not at
 * `link add`: the kernel re-derives the MTU of a bridge from its ports (1500 once the last port
 * leaves) unless the MTU was changed on the live device, and a `link set` to the value the
 * device already has changes nothing. So the bridge is created with the kernel's 1500 and then
 * set (measured: created with `mtu 1450`, cni0 went to 1500 when its last workload left).
 */
function linkSetLine(link: Link, name: string): string {
  return words(
    `link set dev ${name}`,
    link.kind === "bridge" && mtuWord(link.mtu),
    link.alias !== undefined && `alias ${safeAlias(link.alias)}`,
    link.master !== undefined && `master ${safeInterface(link.master, "master")}`,
    stateWord(link.up),
  );
}

function linkAddLine(change: ChangeOf<"link">, link: Link, name: string): string {
  const address = link.mac !== undefined && `address ${safeMac(link.mac)}`;
  switch (link.kind) {
    case "veth": {
      const peer = link.peer ?? unsupported(change, "a veth needs its peer (namespace and name)");
      // Both ends get the MTU: the namespace end is never created on its own (plan-json.md).
      return words(
        `link add ${name}`,
        mtuWord(link.mtu),
        address,
        `type veth peer name ${safeInterface(peer.name, "veth peer")}`,
        `netns ${safeNamespace(peer.netns)}`,
        mtuWord(link.mtu),
      );
    }
    case "bridge":
      return words(`link add ${name}`, address, "type bridge");
    case "vxlan": {
      const vxlan = link.vxlan ?? unsupported(change, "a vxlan link needs its VTEP settings");
      return words(
        `link add ${name}`,
        address,
        mtuWord(link.mtu),
        `type vxlan id ${safeInteger(vxlan.id, "VNI", 1, 16777215)}`,
        `local ${safeAddress(vxlan.local, "VTEP local address")}`,
        `dev ${safeInterface(vxlan.dev, "VTEP underlay device")}`,
        `dstport ${safeInteger(vxlan.port, "VTEP port", 1, 65535)}`,
        vxlan.learning ? "learning" : "nolearning",
      );
    }
    default:
      return unsupported(change, `netplan-k does not create links of kind "${link.kind}"`);
  }
}

/**
 * tunl0 is the ipip module's fallback device: loading the module creates it, so `ip link add`
 * answers "File exists" on most hosts. The add may fail only when the device is there anyway;
 * its settings are then set like those of any adopted link.
 */
function tunnelCreate(netns: string | undefined, link: Link): CommandGroup {
  const ip = netns === undefined ? "ip" : `ip -n ${safeNamespace(netns)}`;
  const inNamespace =
    netns === undefined
      ? `[ -e /sys/class/net/${IPIP_DEVICE} ]`
      : `${ip} link show dev ${IPIP_DEVICE} >/dev/null 2>&1`;
  return shGroup([
    `${ip} link add name ${IPIP_DEVICE} type ipip 2>/dev/null || ${inNamespace}`,
    `${ip} ${words(
      `link set dev ${IPIP_DEVICE}`,
      mtuWord(link.mtu),
      link.mac !== undefined && `address ${safeMac(link.mac)}`,
      link.alias !== undefined && `alias ${safeAlias(link.alias)}`,
      link.master !== undefined && `master ${safeInterface(link.master, "master")}`,
      stateWord(link.up),
    )}`,
  ]);
}

/**
 * A shell line that deletes a link only if it is there. Deleting either end of a veth pair
 * deletes both, and deleting a namespace deletes its links: a veth end the plan lists for
 * deletion may already have gone with something deleted or recreated before it in the same
 * apply (its peer, the host end of a recreated pair). Gone is what the delete wants.
 */
function linkRemoveIfPresent(netns: string | undefined, name: string): string {
  const ip = netns === undefined ? "ip" : `ip -n ${safeNamespace(netns)}`;
  return `if ${ip} link show dev ${name} >/dev/null 2>&1; then ${ip} link del dev ${name}; fi`;
}

function linkCreate(change: ChangeOf<"link">): CommandGroup[] {
  const link = required(change, "after");
  const name = safeInterface(link.name);
  if (link.kind === "ipip") {
    if (name !== IPIP_DEVICE) {
      unsupported(change, `the only ipip device netplan-k manages is ${IPIP_DEVICE}`);
    }
    return [tunnelCreate(change.netns, link)];
  }
  const create = ipGroup(change.netns, [linkAddLine(change, link, name), linkSetLine(link, name)]);
  if (link.kind !== "veth" || link.peer === undefined) return [create];
  // The pair's namespace end takes its name: what holds it now (the end of an older pair whose
  // host end was renamed, say) goes first, as the planner assumes (project-observed.ts).
  const peer = link.peer;
  return [
    shGroup([linkRemoveIfPresent(peer.netns, safeInterface(peer.name, "veth peer"))]),
    create,
  ];
}

function portStateNumber(change: ChangeOf<"link">, state: string): number {
  const number = BRIDGE_PORT_STATES.indexOf(state);
  if (number < 0) unsupported(change, `a bridge port has no state "${state}"`);
  return number;
}

/** `link set` with what differs between before and after; everything when before is absent. */
function linkUpdate(change: ChangeOf<"link">): CommandGroup[] {
  const link = required(change, "after");
  const before = change.before;
  const name = safeInterface(link.name);
  const differs = <T>(desired: T, observed: T | undefined): boolean =>
    before === undefined || desired !== observed;
  const master =
    link.master !== undefined
      ? differs(link.master, before?.master) && `master ${safeInterface(link.master, "master")}`
      : before?.master !== undefined && "nomaster";
  const macChanges =
    link.mac !== undefined && differs(link.mac.toLowerCase(), before?.mac?.toLowerCase());
  const fields = [
    differs(link.mtu, before?.mtu) && mtuWord(link.mtu),
    macChanges && `address ${safeMac(link.mac as string)}`,
    link.alias !== undefined &&
      differs(link.alias, before?.alias) &&
      `alias ${safeAlias(link.alias)}`,
    master,
    differs(link.up, before?.up) && stateWord(link.up),
    link.noarp === false && "arp on",
    // Last: the words after `type bridge` are the bridge's.
    link.stp === false && "type bridge stp_state 0",
  ];
  // The port's words (`type bridge_slave …`) go to the port's current master: on a link this
  // same command attaches, the kernel has none yet and refuses them ("Operation not
  // supported", measured with `ip link set dev X master br0 type bridge_slave state 3`; a
  // rollback re-attaching a port failed so). They follow on a line of their own then.
  const port =
    link.port !== undefined &&
    words(
      "type bridge_slave",
      `state ${portStateNumber(change, link.port.state)}`,
      `learning ${link.port.learning ? "on" : "off"}`,
      `flood ${link.port.flood ? "on" : "off"}`,
      link.port.isolated !== undefined && `isolated ${link.port.isolated ? "on" : "off"}`,
      link.port.bcastFlood !== undefined && `bcast_flood ${link.port.bcastFlood ? "on" : "off"}`,
      link.port.mcastFlood !== undefined && `mcast_flood ${link.port.mcastFlood ? "on" : "off"}`,
    );
  const attaches = typeof master === "string" && master.startsWith("master ");
  if (fields.every((field) => field === false) && port === false) return [];
  const lines =
    attaches && port !== false
      ? [words(`link set dev ${name}`, ...fields), words(`link set dev ${name}`, port)]
      : [words(`link set dev ${name}`, ...fields, port)];
  const set = ipGroup(change.netns, lines);
  // A live host veth given a new MAC (a workload's host end, attach bridge → routed) keeps
  // the IPv6 link-local address derived from its old MAC: the kernel derives one only when a
  // link comes up (measured on this kernel), and routed attach's IPv6 gateway is the one of
  // the new MAC (fe80::ecee:eeff:feee:eeee, docs/kernel-layout.md). It is added as the kernel
  // would have (taking the link down and up would flush every route through it); not where
  // IPv6 is off on the device. The plan adds routed attach's gateway only on a veth that
  // already holds its MAC (planner/routed-gateway.ts), so the two never meet.
  if (!macChanges || link.kind !== "veth" || !link.up || change.netns !== undefined) return [set];
  const linkLocal = linkLocalOfMac(safeMac(link.mac as string));
  return [
    set,
    shGroup([
      `if [ "$(cat /proc/sys/net/ipv6/conf/${name}/disable_ipv6 2>/dev/null)" = 0 ]; then ` +
        `ip addr replace ${linkLocal}/64 dev ${name} scope link nodad; fi`,
    ]),
  ];
}

function linkDelete(change: ChangeOf<"link">): CommandGroup[] {
  const link = required(change, "before");
  const name = safeInterface(link.name);
  if (isKernelFallbackDevice(link)) {
    // `ip link del dev tunl0` exits 0 and leaves the device: the kernel keeps a tunnel
    // module's fallback device, which others may share (a load balancer's VIP). It is handed
    // back as found: the plan deletes netplan-k's own addresses and routes on it one by one,
    // and the state and MTU recorded in the alias at adoption come back. Without a record
    // (adopted by an older netplan-k) nothing but the alias is changed.
    const found = foundStateOfAlias(link.alias);
    return [
      ipGroup(change.netns, [
        words(
          `link set dev ${name} alias ""`,
          found !== undefined && mtuWord(found.mtu),
          found !== undefined && stateWord(found.up),
        ),
      ]),
    ];
  }
  if (link.kind === "veth") return [shGroup([linkRemoveIfPresent(change.netns, name)])];
  return [ipGroup(change.netns, [`link del dev ${name}`])];
}

function linkCommands(change: ChangeOf<"link">): CommandGroup[] {
  switch (change.action) {
    case "create":
      return linkCreate(change);
    case "update":
      return linkUpdate(change);
    case "delete":
      return linkDelete(change);
    case "replace":
      // What lived on the old link goes with it; the plan lists it again as creates.
      return [...linkDelete(change), ...linkCreate(change)];
  }
}

/**
 * iproute2's own scope when none is given: link for a unicast route without a gateway. The
 * kernel keeps no scope for an IPv6 route (`ip -j` prints none: read as global).
 */
function defaultScope(route: Route): Route["scope"] {
  if (route.dst.includes(":")) return "global";
  if (route.type === "local") return "host";
  if (route.type === "broadcast" || route.type === "multicast" || route.type === "anycast") {
    return "link";
  }
  if (route.type === "unicast" && route.via === undefined) return "link";
  return "global";
}

function routeTypeWord(route: Route): string | false {
  if (!ROUTE_TYPES.includes(route.type)) {
    throw new ApplierError(
      "apply.unsafe-value",
      `route type ${JSON.stringify(route.type)} is unknown`,
    );
  }
  return route.type !== "unicast" && route.type;
}

const protocolWord = (route: Route): string =>
  `proto ${safeInteger(route.protocol, "route protocol", 0, 255)}`;
const metricWord = (route: Route): string | false =>
  route.metric !== 0 && `metric ${safeInteger(route.metric, "route metric", 0, MAX_U32)}`;
const tableWord = (route: Route): string | false =>
  route.table !== MAIN_TABLE && `table ${safeInteger(route.table, "route table", 1, MAX_U32)}`;

/**
 * `route replace` sets every attribute of the route with this key. Defaults iproute2 or the
 * kernel applies anyway (unicast, main table, metric 0, the scope iproute2 derives) are left
 * out, so the line reads like the layout in docs/kernel-layout.md; the observation reports
 * them back as the Route's explicit defaults.
 */
function routeReplaceLine(route: Route): string {
  if (!ROUTE_SCOPES.includes(route.scope)) {
    throw new ApplierError(
      "apply.unsafe-value",
      `route scope ${JSON.stringify(route.scope)} is unknown`,
    );
  }
  return words(
    "route replace",
    routeTypeWord(route),
    safePrefix(route.dst, "route destination"),
    route.via !== undefined && `via ${safeAddress(route.via, "gateway")}`,
    route.dev !== undefined && `dev ${safeInterface(route.dev)}`,
    route.onlink && "onlink",
    route.scope !== defaultScope(route) && `scope ${route.scope}`,
    protocolWord(route),
    metricWord(route),
    tableWord(route),
  );
}

/**
 * An IPv6 route moved onto an `onlink` gateway of another device (a peer's block from
 * `via <u6> dev eth0` to `via <net6> dev flannel-v6.1 onlink`: host-gw or directRouting →
 * vxlan), or created while another route holds its block, cannot be replaced in place: the kernel checks an onlink gateway by looking it up in
 * the table, finds the route being replaced (the gateway lies in its block) on the other
 * device, and refuses (`Error: Nexthop has invalid gateway or device mismatch.`, measured on
 * this kernel; IPv4 makes no such check). A route to the gateway alone on the new device
 * (`<net6>/128`, netplan-k's protocol) is written on the line before and deleted on the line
 * after, so the check finds it and the block keeps a route throughout (deleting the old route
 * first lost an IPv6 ping in lab v3). Should the batch stop in between, the /128 is an owned
 * route the next plan deletes.
 */
function gatewayRouteFor(change: ChangeOf<"route">): Route | undefined {
  const route = required(change, "after");
  const before = change.before;
  // A create meets the same check when a route it does not own holds the block on another
  // device: BIRD's `via <u6> dev eth0 proto bird` in a switch from bgp, withdrawn only as BIRD
  // stops (measured: dual-stack bgp → vxlan failed so on every host).
  const moves =
    (change.action === "update" && before !== undefined && before.dev !== route.dev) ||
    change.action === "create";
  if (!moves || !route.onlink || route.via === undefined || !route.dst.includes(":")) {
    return undefined;
  }
  return { ...route, dst: `${route.via}/128`, via: undefined, onlink: false, scope: "global" };
}

function routeWriteLines(change: ChangeOf<"route">): string[] {
  const route = required(change, "after");
  const gatewayRoute = gatewayRouteFor(change);
  return [
    ...(isStaleGatewayPossible(change) ? [gatewayNeighbourFlushLine(route)] : []),
    ...(gatewayRoute === undefined ? [] : [routeReplaceLine(gatewayRoute)]),
    routeReplaceLine(route),
    ...(gatewayRoute === undefined ? [] : [routeDeleteLine(gatewayRoute)]),
  ];
}

/**
 * A workload's route moved onto another gateway (an attach switch: routed → bridge puts its
 * default route back via cni0's address). The workload may still hold a learned neighbour
 * entry for that gateway from an earlier bridge phase, with the MAC of a cni0 that has since
 * been deleted and made again with another MAC: measured in lab v3 (bridge → routed →
 * bridge), every ping of both families was lost until that STALE entry failed its probes,
 * about 5 s. The learned entry is flushed before the route is written (permanent ones,
 * netplan-k's own, are kept by `neigh flush`; nothing to flush is not an error).
 */
const isStaleGatewayPossible = (change: ChangeOf<"route">): boolean =>
  change.netns !== undefined &&
  change.action === "update" &&
  change.after?.via !== undefined &&
  change.after.dev !== undefined &&
  change.before?.via !== change.after.via;

const gatewayNeighbourFlushLine = (route: Route): string =>
  `neigh flush to ${safeAddress(route.via as string, "gateway")} dev ${safeInterface(route.dev as string)}`;

/** The protocol is part of the match: a route that is no longer ours is never deleted. */
const routeDeleteLine = (route: Route): string =>
  words(
    "route del",
    routeTypeWord(route),
    safePrefix(route.dst, "route destination"),
    tableWord(route),
    metricWord(route),
    protocolWord(route),
  );

function neighbourReplaceLine(change: ChangeOf<"neighbour">, neighbour: Neighbour): string {
  if (neighbour.lladdr === undefined || !neighbour.permanent) {
    unsupported(change, "netplan-k only writes permanent neighbours with a link-layer address");
  }
  return (
    `neigh replace ${safeAddress(neighbour.dst, "neighbour")} lladdr ${safeMac(neighbour.lladdr)} ` +
    `dev ${safeInterface(neighbour.dev)} nud permanent`
  );
}

/**
 * A flush, not `neigh del`: the kernel drops every neighbour of a device, permanent ones too,
 * when the device's MAC changes (a bridge takes a new port's MAC) or its last address goes,
 * so the entry may be gone by the time its delete runs. A flush of nothing exits 0; the
 * planner only deletes permanent entries (found by the apply property test).
 */
const neighbourDeleteLine = (neighbour: Neighbour): string =>
  `neigh flush to ${safeAddress(neighbour.dst, "neighbour")} dev ${safeInterface(neighbour.dev)} nud permanent`;

/**
 * An IPv6 address is added with `nodad`: Duplicate Address Detection would hold it tentative
 * for 1-2 s, unusable as a source, so a verify right after apply could fail
 * (docs/kernel-layout.md, "DAD"). An IPv4 line is unchanged.
 */
const addressAddLine = (address: Address): string =>
  `addr add ${safePrefix(address.cidr)} dev ${safeInterface(address.dev)}` +
  (address.cidr.includes(":") ? " nodad" : "");

const fdbWords = (entry: FdbEntry): string =>
  `${safeMac(entry.mac)} dev ${safeInterface(entry.dev)} dst ${safeAddress(entry.dst, "fdb destination")}`;

/**
 * A unicast MAC has one destination: `replace` creates the entry or moves it in place, so the
 * new path exists the moment the old one goes (`append` would add nothing next to an old
 * destination, and deleting that one would then leave no entry). A flood MAC's destinations
 * are a list: each is appended and deleted on its own.
 */
function fdbCommands(change: ChangeOf<"fdb">): CommandGroup[] {
  const bridge = (line: string): CommandGroup => ({ executor: "bridge", lines: [line] });
  if (change.action === "delete") {
    return [bridge(`fdb del ${fdbWords(required(change, "before"))} self`)];
  }
  const entry = required(change, "after");
  if (isFloodMac(entry.mac)) {
    if (change.action !== "create") {
      unsupported(change, "a flood MAC's destination is created or deleted, never changed");
    }
    return [bridge(`fdb append ${fdbWords(entry)} self permanent`)];
  }
  return [bridge(`fdb replace ${fdbWords(entry)} self permanent`)];
}

/**
 * Written through a temporary file and `mv`, so a reader (BIRD reloading) never sees half a
 * file. The content travels in base64: it is never pasted into the script as shell text.
 */
function fileWriteLines(file: ManagedFile): string[] {
  const path = safePath(file.path);
  const directory = path.slice(0, path.lastIndexOf("/")) || "/";
  const temporary = `${path}.netplan-k.tmp`;
  const encoded = Buffer.from(file.content, "utf8").toString("base64");
  return [
    `mkdir -p ${quoteForRemoteShell(directory)}`,
    `printf '%s' ${quoteForRemoteShell(encoded)} | base64 -d >${quoteForRemoteShell(temporary)}`,
    `mv -f ${quoteForRemoteShell(temporary)} ${quoteForRemoteShell(path)}`,
  ];
}

/** BIRD's default control socket lives in /run/bird, which a package's unit would create. */
function serviceStartCommands(service: Service): CommandGroup {
  checkService(service);
  return shGroup([
    "mkdir -p /run/bird",
    `bird -c ${quoteForRemoteShell(safePath(service.configPath))}`,
  ]);
}

/** `birdc configure` re-reads the file; it exits 1 and says where when the file is wrong. */
export function serviceReloadCommands(service: Service): CommandGroup {
  checkService(service);
  return shGroup(["birdc configure"]);
}

/**
 * `birdc down` returns once BIRD has accepted the request, before it has exited; waiting for
 * the control socket to stop answering (5 s at most) keeps verification from seeing it alive.
 */
function serviceStopCommands(service: Service): CommandGroup {
  checkService(service);
  return shGroup([
    "birdc down",
    "nk_wait=0; while birdc show status >/dev/null 2>&1 && [ $nk_wait -lt 50 ]; do nk_wait=$((nk_wait + 1)); sleep 0.1; done; ! birdc show status >/dev/null 2>&1",
  ]);
}

function checkService(service: Service): void {
  if (service.name !== "bird") {
    throw new ApplierError(
      "apply.unsupported-change",
      `service ${JSON.stringify(service.name)} is unknown; netplan-k manages bird only`,
    );
  }
}

function hostLevel(change: Change): void {
  if (change.netns !== undefined) {
    unsupported(
      change,
      `a ${change.kind} is host-level and cannot live in namespace ${change.netns}`,
    );
  }
}

/** Addresses are wholly their key: the planner never updates them. */
function keyedCommands<T>(
  change: Change,
  objects: { readonly before?: T; readonly after?: T },
  create: (object: T) => CommandGroup,
  remove: (object: T) => CommandGroup,
): CommandGroup[] {
  const missing = (side: string): never =>
    unsupported(change, `the change has no "${side}" object`);
  switch (change.action) {
    case "create":
      return [create(objects.after ?? missing("after"))];
    case "delete":
      return [remove(objects.before ?? missing("before"))];
    default:
      return unsupported(change, `a ${change.kind} is created or deleted, never changed in place`);
  }
}

/** The commands of one change, in the order they must run. */
export function changeCommands(change: Change): CommandGroup[] {
  switch (change.kind) {
    case "namespace": {
      hostLevel(change);
      if (change.action === "create") {
        return [ipGroup(undefined, [`netns add ${safeNamespace(required(change, "after").name)}`])];
      }
      if (change.action === "delete") {
        // Its links, addresses and routes go with it: the plan does not list them.
        return [
          ipGroup(undefined, [`netns del ${safeNamespace(required(change, "before").name)}`]),
        ];
      }
      return unsupported(change, "a namespace is created or deleted, never changed");
    }
    case "link":
      return linkCommands(change);
    case "address":
      return keyedCommands(
        change,
        change,
        (a) => ipGroup(change.netns, [addressAddLine(a)]),
        (a) =>
          ipGroup(change.netns, [`addr del ${safePrefix(a.cidr)} dev ${safeInterface(a.dev)}`]),
      );
    case "route":
      return change.action === "delete"
        ? [ipGroup(change.netns, [routeDeleteLine(required(change, "before"))])]
        : [ipGroup(change.netns, routeWriteLines(change))];
    case "neighbour":
      return change.action === "delete"
        ? [ipGroup(change.netns, [neighbourDeleteLine(required(change, "before"))])]
        : [ipGroup(change.netns, [neighbourReplaceLine(change, required(change, "after"))])];
    case "fdb": {
      if (change.netns !== undefined) {
        unsupported(change, "fdb entries are written in the host's namespace only");
      }
      return fdbCommands(change);
    }
    case "sysctl": {
      // Sysctls are only ever set (plan-json.md): a delete means nothing to do.
      if (change.action === "delete") return [];
      const sysctl = required(change, "after");
      const value = `printf '%s\\n' ${quoteForRemoteShell(safeSysctlValue(sysctl.value))}`;
      const path = quoteForRemoteShell(sysctlPath(sysctl.key));
      // A workload namespace's (planner/arp-ignore.ts): /proc/sys/net is the writer's
      // namespace's, so the writer enters it.
      return change.netns === undefined
        ? [shGroup([`${value} >${path}`])]
        : [
            shGroup([
              `${value} | ip netns exec ${safeNamespace(change.netns)} tee ${path} >/dev/null`,
            ]),
          ];
    }
    case "file":
      hostLevel(change);
      return change.action === "delete"
        ? [shGroup([`rm -f ${quoteForRemoteShell(safePath(required(change, "before").path))}`])]
        : [shGroup(fileWriteLines(required(change, "after")))];
    case "service":
      hostLevel(change);
      return serviceCommands(change);
    case "pathMtu":
      return pathMtuCommands(change);
  }
}

/**
 * A stale path-MTU exception (planner/stale-path-mtu.ts) goes with a flush of the route
 * cache of the namespace that holds it (a workload's, or the host's own), in its batch: the
 * kernel deletes no single IPv4 exception, only the whole cache. One line flushes both
 * families: measured (iproute2 6.1.0, kernel 6.18) `route flush table all cache` emptied
 * `ip -j route show table all cache` of both, where `route flush cache` left the IPv6
 * exception and `-6` cannot be given per batch line. The cache holds only what the kernel
 * learns by itself, so nothing of anyone's is lost; a second such line (a second stale
 * exception) finds the cache empty and exits 0. In the host's namespace the flush also drops
 * the exceptions learnt through the underlay, which is not netplan-k's: the kernel learns a
 * real one again on the next full-size packet that meets the smaller hop (one dropped packet
 * per destination, the cost of any path-MTU discovery).
 */
function pathMtuCommands(change: ChangeOf<"pathMtu">): CommandGroup[] {
  if (change.action !== "update") {
    return unsupported(change, "a path-MTU exception is only ever flushed");
  }
  return [ipGroup(change.netns, ["route flush table all cache"])];
}

function serviceCommands(change: ChangeOf<"service">): CommandGroup[] {
  const wasRunning = change.before?.running ?? false;
  const running = change.action === "delete" ? false : required(change, "after").running;
  const service = change.after ?? required(change, "before");
  const stop = wasRunning && (!running || change.action === "replace");
  const start = running && (!wasRunning || change.action === "replace");
  return [
    ...(stop ? [serviceStopCommands(change.before ?? service)] : []),
    ...(start ? [serviceStartCommands(service)] : []),
    ...(running && !start ? protocolEnableCommands(change.before, service) : []),
  ];
}

/**
 * `birdc enable NAME` for each protocol the desired service wants up that the running BIRD
 * held down (planner/diff-host-level.ts). Measured with BIRD 2.0.12: it answers "NAME:
 * enabled" (or "already enabled", after a reload of this same apply, which restores what
 * the file says) with exit 0, and the session is Established again within a second; apply
 * then waits for it like any session.
 */
function protocolEnableCommands(observed: Service | undefined, desired: Service): CommandGroup[] {
  const down = new Set(
    (observed?.protocols ?? []).filter(isBirdProtocolDown).map((protocol) => protocol.name),
  );
  const names = (desired.protocols ?? [])
    .filter((protocol) => !isBirdProtocolDown(protocol) && down.has(protocol.name))
    .map((protocol) => safeBirdSymbol(protocol.name));
  return names.length === 0 ? [] : [shGroup(names.map((name) => `birdc enable ${name}`))];
}
