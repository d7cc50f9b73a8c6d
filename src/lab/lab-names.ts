import { createHash } from "node:crypto";
import { Address4 } from "ip-address";
import { parseIpv4Interface } from "./ipv4.js";

/**
 * Names of lab objects. Namespace names may be long (they are file names under /run/netns);
 * interface names may not exceed the kernel's 15 characters, so the fabric's names are derived
 * from a hash or the subnet rather than from host names.
 */

/** Alias of the `lo` of every namespace a lab creates: how lab down recognises its own. */
export const labMarker = (prefix: string): string => `netplan-k-lab:${prefix}`;

export const fabricNamespace = (prefix: string): string => `${prefix}-fabric`;
export const hostNamespace = (prefix: string, host: string): string => `${prefix}-${host}`;
export const routerNamespace = (prefix: string, router: string): string => `${prefix}-r-${router}`;
export const controllerNamespace = (prefix: string): string => `${prefix}-ctl`;

/**
 * Bridge of a segment in the fabric: "br-" + network address in hex + "-" + prefix (≤ 14);
 * an IPv6 segment (an IPv6-only cluster's lab), whose address does not fit, "br6-" + 10 hex
 * digits of a hash of its subnet (14).
 */
export function bridgeName(subnet: string): string {
  if (subnet.includes(":")) {
    return `br6-${createHash("sha256").update(subnet).digest("hex").slice(0, 10)}`;
  }
  const { address, prefix } = parseIpv4Interface(subnet);
  return `br-${new Address4(address).bigInt().toString(16).padStart(8, "0")}-${prefix}`;
}

/** Fabric end of the veth that attaches `iface` of namespace `namespace`: "v" + 12 hex digits. */
export const fabricPortName = (namespace: string, iface: string): string =>
  `v${createHash("sha256").update(`${namespace}/${iface}`).digest("hex").slice(0, 12)}`;

/** The tap in the fabric that carries a guest's NIC: "t" + 12 hex digits (≤ 15 characters). */
export const guestTapName = (namespace: string): string =>
  `t${createHash("sha256").update(`tap/${namespace}`).digest("hex").slice(0, 12)}`;

/**
 * The MAC of a guest's NIC: QEMU's locally administered 52:54:00 prefix and three bytes of a
 * hash, so each guest has its own and keeps it across lab up runs.
 */
export function guestMac(namespace: string): string {
  const hex = createHash("sha256").update(`mac/${namespace}`).digest("hex");
  return ["52", "54", "00", hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6)].join(":");
}

/** A router's interface on its n-th leg. */
export const routerLegInterface = (index: number): string => `eth${index}`;
