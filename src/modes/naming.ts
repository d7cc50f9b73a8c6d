import { createHash } from "node:crypto";

/**
 * Names and addresses the compiler derives. All deterministic: the same topology gives the
 * same names, so every peer's objects can be planned without reading the peer first.
 */

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Bridge of the bridge attach style (flannel's name). */
export const BRIDGE_NAME = "cni0";

/** VTEP of mode vxlan (flannel's name); vxlan's settings check holds it to 15 characters. */
export const vtepName = (vni: number): string => `flannel.${vni}`;

/**
 * The IPv6 VTEP of a dual-stack vxlan cluster (flannel's name: its vxlan backend makes
 * `flannel-v6.<vni>` beside `flannel.<vni>`, with the same VNI and port).
 */
export const vtep6Name = (vni: number): string => `flannel-v6.${vni}`;

/** The ipip tunnel device (Calico's; the kernel's fallback device for ipip). */
export const IPIP_DEVICE = "tunl0";

/** Name of a workload's veth end inside its namespace. */
export const WORKLOAD_INTERFACE = "eth0";

/**
 * Host end of a workload's veth: "nk" + 11 hex digits of a hash of topology and workload
 * (Calico's cali<hash> pattern): 13 characters, under the kernel's 15, unique per topology.
 */
export const hostVethName = (topology: string, workload: string): string =>
  `nk${digest(`veth:${topology}/${workload}`).toString("hex").slice(0, 11)}`;

/** A locally administered unicast MAC derived from the text. */
function derivedMac(text: string): string {
  const bytes = [...digest(text).subarray(0, 6)];
  bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** A host's VTEP MAC, known to every peer without asking the host. */
export const vtepMac = (topology: string, host: string): string =>
  derivedMac(`vtep:${topology}/${host}`);

/** A host's IPv6 VTEP MAC: derived like vtepMac from another text, so the two differ. */
export const vtep6Mac = (topology: string, host: string): string =>
  derivedMac(`vtep6:${topology}/${host}`);

/**
 * Routed attach, IPv6: the workload's gateway is Calico's, the EUI-64 link-local address the
 * kernel gives the host veth end by itself because its MAC is ROUTED_HOST_VETH_MAC (measured:
 * its neighbour entry is learned without proxy NDP; docs/kernel-layout.md).
 */
export const ROUTED_GATEWAY_V6 = "fe80::ecee:eeff:feee:eeee";

/**
 * Routed attach: the gateway every workload routes to, and the MAC of every host veth end
 * (Calico's choice). The workload holds a permanent neighbour entry for the gateway pointing
 * at this MAC, so routed attach works whatever routes the host has (see MODES.md: proxy ARP
 * alone fails on hosts without a route covering 169.254.1.1).
 */
export const ROUTED_GATEWAY = "169.254.1.1";
export const ROUTED_HOST_VETH_MAC = "ee:ee:ee:ee:ee:ee";

/** BIRD 2's configuration file, as Debian's bird2 package reads it. */
export const BIRD_CONFIG_PATH = "/etc/bird/bird.conf";
