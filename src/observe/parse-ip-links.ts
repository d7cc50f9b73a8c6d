import type { BridgePort, Link, VethOtherEnd, VxlanInfo } from "../model/link.js";
import { readEntries, type JsonEntry } from "./json-entries.js";

const COMMAND = "ip -j -d link show";

/**
 * Kinds whose top-level "link" names the lower device they are stacked on, a device the
 * kernel deletes them with (macvlan measured here; vlan, ipvlan and the taps by their drivers'
 * unregister notifiers, not built into this kernel). A veth's "link" is its other end instead;
 * a VXLAN device names its lower in info_data (VxlanInfo.dev); an ipip tunnel on no device
 * prints "link": null and is not deleted with its device.
 */
const STACKED_KINDS: ReadonlySet<string> = new Set([
  "macvlan",
  "macvtap",
  "ipvlan",
  "ipvtap",
  "vlan",
]);

/** Links from `ip -j -d link show` (the -d is what carries linkinfo). */
export function parseIpLinks(json: unknown): Link[] {
  return readEntries(json, COMMAND).map(parseIpLink);
}

function parseIpLink(entry: JsonEntry): Link {
  const linkinfo = entry.optionalObject("linkinfo");
  const kind = linkinfo?.optionalString("info_kind") ?? "";
  const infoData = linkinfo?.optionalObject("info_data");
  const mac = entry.optionalString("address");
  const alias = entry.optionalString("ifalias");
  const master = entry.optionalString("master");
  const vxlan = kind === "vxlan" && infoData ? parseVxlanInfo(infoData) : undefined;
  const slaveData = linkinfo?.optionalObject("info_slave_data");
  const port =
    linkinfo?.optionalString("info_slave_kind") === "bridge" && slaveData
      ? parseBridgePort(slaveData)
      : undefined;
  const flags = entry.strings("flags");
  // NOARP is a setting only on a device that speaks ARP: tunl0 or WireGuard have it by nature.
  const noarp = flags.includes("NOARP") && flags.includes("BROADCAST");
  const stp = kind === "bridge" && (infoData?.optionalNumber("stp_state") ?? 0) !== 0;
  const otherEnd = kind === "veth" ? parseVethOtherEnd(entry) : undefined;
  const lower = STACKED_KINDS.has(kind) ? entry.optionalString("link") : undefined;
  return {
    name: entry.string("ifname"),
    kind,
    mtu: entry.number("mtu"),
    // UP is the administrative flag; operstate (LOWER_UP, NO-CARRIER) depends on the peer.
    up: flags.includes("UP"),
    ...(mac !== undefined && { mac }),
    ...(alias !== undefined && { alias }),
    ...(master !== undefined && { master }),
    ...(vxlan && { vxlan }),
    ...(port && { port }),
    ...(noarp && { noarp }),
    ...(stp && { stp }),
    ...(kind === "veth" && { ifindex: entry.number("ifindex") }),
    ...(otherEnd && { otherEnd }),
    ...(lower !== undefined && { lower }),
  };
}

/**
 * Where a veth's other end is (VethOtherEnd): "link" names it when it is in the same
 * namespace; "link_netnsid" and "link_index" place it in another one. Undefined when neither
 * is printed.
 */
function parseVethOtherEnd(entry: JsonEntry): VethOtherEnd | undefined {
  const nsid = entry.optionalNumber("link_netnsid");
  const ifindex = entry.optionalNumber("link_index");
  if (nsid !== undefined && ifindex !== undefined) return { nsid, ifindex };
  const name = entry.optionalString("link");
  return name === undefined ? undefined : { name };
}

/** A bridge port's forwarding settings (iproute2 prints them under info_slave_data). */
function parseBridgePort(data: JsonEntry): BridgePort {
  return {
    state: data.string("state"),
    learning: data.boolean("learning"),
    flood: data.boolean("flood"),
    // Printed by iproute2 6.1 (measured); an older one may not print them.
    ...(data.keys().includes("isolated") && { isolated: data.boolean("isolated") }),
    ...(data.keys().includes("bcast_flood") && { bcastFlood: data.boolean("bcast_flood") }),
    ...(data.keys().includes("mcast_flood") && { mcastFlood: data.boolean("mcast_flood") }),
  };
}

/**
 * A VXLAN device made without `local` or `dev` (a foreign one, say) has no such keys in
 * info_data: they read as "", which no desired VTEP ever has, so the difference shows.
 */
function parseVxlanInfo(data: JsonEntry): VxlanInfo {
  return {
    id: data.number("id"),
    // An IPv6 VTEP's source is printed as "local6" (measured on flannel-v6.1).
    local: data.optionalString("local") ?? data.optionalString("local6") ?? "",
    dev: data.optionalString("link") ?? "",
    port: data.number("port"),
    learning: data.boolean("learning"),
  };
}
