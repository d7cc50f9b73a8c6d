import { IP_FORWARD, IPV6_FORWARD, type FabricLink, type FabricState } from "./fabric-state.js";
import type { LabLayout, LabNode } from "./lab-layout.js";
import { labMarker } from "./lab-names.js";

/**
 * What the lab's fabric must hold, from its layout; pure.
 * - The fabric namespace: one bridge per segment (STP off and no forward delay are set when it
 *   is made: a port forwards as soon as it is up, so a fresh lab answers pings at once).
 * - Every namespace the lab makes: lo up, with the lab's marker as its alias.
 * - Every namespace node (router, controller, host not run as a guest): its namespace,
 *   and per attachment a veth whose fabric end is a port of the segment's bridge, the cluster
 *   MTU on both ends, the address, and the routes to the other segments.
 * - A guest: its tap in the fabric, a port of the segment's bridge (QEMU opens it by name).
 * - Routers forward between their legs (IPv6 too, when they have IPv6 legs).
 */
export function desiredFabric(layout: LabLayout): FabricState {
  const nodes = [
    ...layout.routers,
    ...(layout.controller ? [layout.controller] : []),
    ...layout.hosts.filter((host) => host.guest === undefined),
  ];
  const guests = layout.hosts.filter((host) => host.guest !== undefined);
  const bridges = layout.segments.map((segment): FabricLink => ({
    namespace: layout.fabric,
    name: segment.bridge,
    kind: "bridge",
    up: true,
  }));
  const port = (node: LabNode, kind: string): FabricLink[] =>
    node.attachments.map((a) => ({
      namespace: layout.fabric,
      name: a.fabricPort,
      kind,
      master: a.segment.bridge,
      mtu: layout.mtu,
      up: true,
    }));
  const lo = (namespace: string): FabricLink => ({
    namespace,
    name: "lo",
    up: true,
    alias: labMarker(layout.prefix),
  });
  const nodeLinks = (node: LabNode): FabricLink[] => [
    lo(node.namespace),
    ...node.attachments.map((a) => ({
      namespace: node.namespace,
      name: a.interface,
      kind: "veth",
      mtu: layout.mtu,
      up: true,
      peer: { namespace: layout.fabric, name: a.fabricPort },
    })),
  ];
  return {
    namespaces: [
      { name: layout.fabric, owned: true, sealed: true },
      ...nodes.map((node) => ({ name: node.namespace, owned: true })),
    ],
    links: [
      lo(layout.fabric),
      ...bridges,
      ...nodes.flatMap((node) => port(node, "veth")),
      ...guests.flatMap((guest) => port(guest, "tun")),
      ...nodes.flatMap(nodeLinks),
    ],
    addresses: nodes.flatMap((node) =>
      node.attachments.flatMap((a) => [
        { namespace: node.namespace, dev: a.interface, cidr: `${a.address}/${a.prefix}` },
        ...(a.ipv6 === undefined
          ? []
          : [
              {
                namespace: node.namespace,
                dev: a.interface,
                cidr: `${a.ipv6.address}/${a.ipv6.prefix}`,
              },
            ]),
      ]),
    ),
    routes: nodes.flatMap((node) =>
      node.routes.map((route) => ({ namespace: node.namespace, ...route })),
    ),
    sysctls: layout.routers.flatMap((router) => [
      { namespace: router.namespace, key: IP_FORWARD, value: "1" },
      ...(router.attachments.some((a) => a.ipv6 !== undefined || a.address.includes(":"))
        ? [{ namespace: router.namespace, key: IPV6_FORWARD, value: "1" }]
        : []),
    ]),
  };
}
