import type { LabLayout, LabNode } from "./lab-layout.js";
import { readAddresses, readLinks, runIpBatch } from "./namespaces.js";
import { runCommand } from "./run-command.js";

/**
 * The fabric namespace holds one bridge per underlay segment; every node interface is a veth
 * whose other end is a port of its segment's bridge. STP off and no forward delay: a port
 * forwards as soon as it is up, so a fresh lab answers pings at once.
 */

export async function ensureBridges(layout: LabLayout): Promise<void> {
  const present = new Set((await readLinks(layout.fabric)).map((link) => link.ifname));
  await runIpBatch(
    layout.fabric,
    layout.segments.flatMap((segment) => [
      ...(present.has(segment.bridge)
        ? []
        : [`link add ${segment.bridge} type bridge stp_state 0 forward_delay 0`]),
      `link set dev ${segment.bridge} up`,
    ]),
  );
}

/**
 * Attaches the node to its segments, gives its interfaces their addresses and MTU, and routes
 * to the other segments. A veth of which only one end is in place (or an interface of that
 * name that is no veth of ours) is removed and made again.
 */
export async function ensureNodeLinks(layout: LabLayout, node: LabNode): Promise<void> {
  const [fabricLinks, nodeLinks] = await Promise.all([
    readLinks(layout.fabric),
    readLinks(node.namespace),
  ]);
  const fabricNames = new Set(fabricLinks.map((link) => link.ifname));
  const nodeNames = new Set(nodeLinks.map((link) => link.ifname));
  for (const attachment of node.attachments) {
    const hasPort = fabricNames.has(attachment.fabricPort);
    const hasInterface = nodeNames.has(attachment.interface);
    if (hasPort && hasInterface) continue;
    if (hasPort)
      await runCommand(["ip", "-n", layout.fabric, "link", "del", "dev", attachment.fabricPort]);
    if (hasInterface)
      await runCommand(["ip", "-n", node.namespace, "link", "del", "dev", attachment.interface]);
    // Both ends are created directly in their namespaces: nothing appears in the root namespace.
    await runCommand([
      "ip",
      "link",
      "add",
      attachment.fabricPort,
      "netns",
      layout.fabric,
      "type",
      "veth",
      "peer",
      "name",
      attachment.interface,
      "netns",
      node.namespace,
    ]);
  }
  await runIpBatch(
    layout.fabric,
    node.attachments.map(
      (a) => `link set dev ${a.fabricPort} master ${a.segment.bridge} mtu ${layout.mtu} up`,
    ),
  );
  const observedAddresses = await readAddresses(node.namespace);
  await runIpBatch(node.namespace, [
    "link set dev lo up",
    ...node.attachments.flatMap((a) => {
      const desired = `${a.address}/${a.prefix}`;
      const stale = (observedAddresses.get(a.interface) ?? []).filter(
        (address) => address !== desired,
      );
      return [
        `link set dev ${a.interface} mtu ${layout.mtu} up`,
        ...stale.map((address) => `addr del ${address} dev ${a.interface}`),
        `addr replace ${desired} dev ${a.interface}`,
      ];
    }),
    ...node.routes.map((route) => `route replace ${route.dst} via ${route.via} dev ${route.dev}`),
  ]);
}

/** Routers forward between their legs. */
export async function enableForwarding(node: LabNode): Promise<void> {
  await runCommand([
    "nsenter",
    `--net=/run/netns/${node.namespace}`,
    "--",
    "sysctl",
    "-q",
    "-w",
    "net.ipv4.ip_forward=1",
  ]);
}
