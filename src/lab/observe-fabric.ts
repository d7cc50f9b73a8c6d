import type { Transport } from "../transport/transport.js";
import { IP_FORWARD, IPV6_FORWARD } from "./fabric-state.js";
import { runChecked } from "./run-checked.js";

/**
 * What the machine says about a lab's namespaces, unparsed: exactly what each command printed,
 * so that a recording of it is a test fixture (parseFabricObservation reads it).
 */
export interface FabricObservation {
  /** `ip -j netns list` (empty when there are no namespaces at all). */
  readonly netns: string;
  /** Per namespace whose name starts with `<prefix>-`. */
  readonly namespaces: Readonly<Record<string, NamespaceObservation>>;
}

export interface NamespaceObservation {
  /** `ip -n <ns> -j -d link show` */
  readonly link: string;
  /**
   * `ip -n <ns> -j addr show` (both families; recordings made before dual-stack labs hold
   * `-4 addr show`)
   */
  readonly addr: string;
  /**
   * `ip -n <ns> -j route show table all` (both families: iproute2 asks for no family with
   * `table all`; older recordings hold `-4 route show`, the main table's IPv4 routes)
   */
  readonly route: string;
  /**
   * `sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding` inside the namespace: one
   * line each (older recordings hold the IPv4 line only)
   */
  readonly ipForward: string;
}

/** Names from `ip -j netns list`, which prints nothing at all when there are none. */
export function parseNetnsList(text: string): readonly string[] {
  if (text.trim() === "") return [];
  return (JSON.parse(text) as { readonly name: string }[]).map((entry) => entry.name);
}

/**
 * Lists the machine's network namespaces and reads every one named `<prefix>-*` (the lab's and
 * any other in the way), four commands each, namespaces in parallel. Reads only. Throws a
 * LabError when a command fails (a namespace removed meanwhile, say).
 */
export async function observeFabric(
  machine: Transport,
  prefix: string,
): Promise<FabricObservation> {
  const netns = await runChecked(machine, ["ip", "-j", "netns", "list"]);
  const names = parseNetnsList(netns).filter((name) => name.startsWith(`${prefix}-`));
  const read = async (namespace: string): Promise<[string, NamespaceObservation]> => {
    const [link, addr, route, ipForward] = await Promise.all([
      runChecked(machine, ["ip", "-n", namespace, "-j", "-d", "link", "show"]),
      runChecked(machine, ["ip", "-n", namespace, "-j", "addr", "show"]),
      runChecked(machine, ["ip", "-n", namespace, "-j", "route", "show", "table", "all"]),
      runChecked(machine, [
        ...["nsenter", `--net=/run/netns/${namespace}`, "--"],
        ...["sysctl", "-n", IP_FORWARD, IPV6_FORWARD],
      ]),
    ]);
    return [namespace, { link, addr, route, ipForward }];
  };
  return { netns, namespaces: Object.fromEntries(await Promise.all(names.map(read))) };
}
