import type {
  FabricAddress,
  FabricLink,
  FabricRoute,
  FabricState,
  FabricSysctl,
} from "./fabric-state.js";
import { IP_FORWARD, IPV6_FORWARD } from "./fabric-state.js";
import { labMarker } from "./lab-names.js";
import type { FabricObservation, NamespaceObservation } from "./observe-fabric.js";
import { parseNetnsList } from "./observe-fabric.js";

/** The fields of `ip -j -d link show` the lab reads (iproute2 6.1). */
interface IpLink {
  readonly ifname: string;
  readonly ifalias?: string;
  readonly flags?: readonly string[];
  readonly mtu?: number;
  readonly master?: string;
  readonly linkinfo?: { readonly info_kind?: string };
}

interface IpAddressEntry {
  readonly ifname: string;
  readonly addr_info?: readonly {
    readonly family: string;
    readonly local: string;
    readonly prefixlen: number;
    readonly scope?: string;
  }[];
}

/**
 * `ip -j route` leaves out table, protocol and metric when they are main, boot and 0, which is
 * how the lab adds its routes (`route replace <dst> via <gw> dev <dev>`).
 */
interface IpRoute {
  readonly dst: string;
  readonly gateway?: string;
  readonly dev?: string;
  readonly table?: string;
  readonly protocol?: string;
  readonly metric?: number;
  readonly type?: string;
}

const parseJson = <T>(text: string): T[] => (text.trim() === "" ? [] : (JSON.parse(text) as T[]));

/**
 * The fabric state of a lab from what observeFabric recorded; pure. A namespace whose lo lacks
 * the lab's marker is listed as not owned, and nothing inside it is read. Of the routes, only
 * those the lab could have made are kept: main table, boot protocol, metric 0, through a gateway.
 * Throws a SyntaxError when a recording is not the JSON iproute2 prints.
 */
export function parseFabricObservation(
  observation: FabricObservation,
  prefix: string,
): FabricState {
  const names = parseNetnsList(observation.netns).filter((name) => name.startsWith(`${prefix}-`));
  const read = names.flatMap((name) => {
    const recorded = observation.namespaces[name];
    return recorded === undefined ? [] : [parseNamespace(name, recorded, labMarker(prefix))];
  });
  const owned = read.filter((namespace) => namespace.owned);
  return {
    namespaces: read.map(({ name, owned }) => ({ name, owned })),
    links: owned.flatMap((namespace) => namespace.links),
    addresses: owned.flatMap((namespace) => namespace.addresses),
    routes: owned.flatMap((namespace) => namespace.routes),
    sysctls: owned.flatMap((namespace) => namespace.sysctls),
  };
}

interface ParsedNamespace {
  readonly name: string;
  readonly owned: boolean;
  readonly links: readonly FabricLink[];
  readonly addresses: readonly FabricAddress[];
  readonly routes: readonly FabricRoute[];
  readonly sysctls: readonly FabricSysctl[];
}

function parseNamespace(
  namespace: string,
  recorded: NamespaceObservation,
  marker: string,
): ParsedNamespace {
  const ipLinks = parseJson<IpLink>(recorded.link);
  const owned = ipLinks.some((link) => link.ifname === "lo" && link.ifalias === marker);
  if (!owned) return { name: namespace, owned, links: [], addresses: [], routes: [], sysctls: [] };
  return {
    name: namespace,
    owned,
    links: ipLinks.map((link) => ({
      namespace,
      name: link.ifname,
      ...(link.linkinfo?.info_kind === undefined ? {} : { kind: link.linkinfo.info_kind }),
      ...(link.master === undefined ? {} : { master: link.master }),
      ...(link.mtu === undefined ? {} : { mtu: link.mtu }),
      up: link.flags?.includes("UP") ?? false,
      ...(link.ifalias === undefined ? {} : { alias: link.ifalias }),
    })),
    addresses: parseJson<IpAddressEntry>(recorded.addr).flatMap((entry) =>
      (entry.addr_info ?? [])
        // A dual-stack host's IPv6 underlay address too; the kernel's link-local ones are not
        // the lab's.
        .filter((a) => a.family === "inet" || (a.family === "inet6" && a.scope === "global"))
        .map((a) => ({ namespace, dev: entry.ifname, cidr: `${a.local}/${a.prefixlen}` })),
    ),
    routes: parseJson<IpRoute>(recorded.route).flatMap((route) =>
      route.gateway === undefined ||
      route.dev === undefined ||
      route.table !== undefined ||
      route.protocol !== undefined ||
      (route.metric ?? 0) !== (route.dst.includes(":") ? IPV6_USER_METRIC : 0) ||
      (route.type ?? "unicast") !== "unicast"
        ? []
        : [{ namespace, dst: route.dst, via: route.gateway, dev: route.dev }],
    ),
    sysctls: parseForwarding(namespace, recorded.ipForward),
  };
}

/**
 * The metric the kernel gives an IPv6 route added without one (IP6_RT_PRIO_USER), as the lab
 * adds its routes: an IPv4 one gets 0.
 */
const IPV6_USER_METRIC = 1024;

/** The forwarding sysctls' lines, IPv4's then IPv6's (absent from older recordings). */
function parseForwarding(namespace: string, text: string): FabricSysctl[] {
  const [v4 = "", v6] = text.trim().split("\n");
  return [
    { namespace, key: IP_FORWARD, value: v4.trim() },
    ...(v6 === undefined ? [] : [{ namespace, key: IPV6_FORWARD, value: v6.trim() }]),
  ];
}
