import type { Host, HostFamily, Topology } from "../topology/topology.js";
import { Address4 } from "ip-address";
import { addressAt, sizeOf } from "../topology/block-math.js";
import { IPV6_ONLY_SSHD_REFUSAL } from "../topology/check-lab.js";
import { isIpv6Text } from "../topology/parse-address.js";
import { parseIpv4Interface } from "./ipv4.js";
import { parseIpv6Interface } from "./ipv6-interface.js";
import { LabError } from "./lab-error.js";
import {
  bridgeName,
  controllerNamespace,
  fabricNamespace,
  fabricPortName,
  guestMac,
  guestTapName,
  hostNamespace,
  routerLegInterface,
  routerNamespace,
} from "./lab-names.js";
import type { LabSpec } from "../topology/topology.js";

/**
 * What a lab consists of, computed from the topology without touching anything: segments
 * (bridges in the fabric namespace), and nodes (hosts, routers, the controller) with their
 * attachments to segments and their routes to the other segments.
 */

export interface LabSegment {
  /** Canonical CIDR; hosts with equal underlay subnets share it. */
  readonly subnet: string;
  readonly bridge: string;
}

/** One interface of a node, a veth whose other end is a port of the segment's bridge. */
export interface LabAttachment {
  readonly segment: LabSegment;
  readonly fabricPort: string;
  readonly interface: string;
  /** The address of the segment's family: IPv4, or IPv6 in an IPv6-only cluster's lab. */
  readonly address: string;
  readonly prefix: number;
  /**
   * A dual-stack host's IPv6 underlay address and prefix, on the same interface and segment:
   * a segment carries both families (2001:db8::/32 in the examples).
   */
  readonly ipv6?: { readonly address: string; readonly prefix: number };
}

/** An underlay route of the lab (not netplan-k's: it carries no proto 77). */
export interface LabRoute {
  readonly dst: string;
  readonly via: string;
  readonly dev: string;
}

export type LabNodeRole = "host" | "router" | "controller";

/**
 * A host built as a QEMU guest rather than a namespace: its NIC is a tap in the fabric, a port of
 * the segment's bridge (the attachment's fabricPort is the tap), with a MAC of its own.
 */
export interface LabGuest {
  readonly tap: string;
  readonly mac: string;
}

export interface LabNode {
  readonly role: LabNodeRole;
  readonly name: string;
  /** For a guest, only a name: no namespace of that name is made. */
  readonly namespace: string;
  readonly attachments: readonly LabAttachment[];
  readonly routes: readonly LabRoute[];
  /** Set for hosts named in `lab.guests`. */
  readonly guest?: LabGuest;
}

export interface LabLayout {
  readonly prefix: string;
  readonly fabric: string;
  readonly mtu: number;
  readonly segments: readonly LabSegment[];
  readonly hosts: readonly LabNode[];
  readonly routers: readonly LabNode[];
  /** Where lab-side TCP connections (ssh's ProxyCommand, sshd probes) start; only with sshd. */
  readonly controller: LabNode | undefined;
}

/** Lowercase letters and digits, optionally joined by '-': safe in argv, paths and names. */
const PREFIX_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function layoutLab(topology: Topology, spec: LabSpec): LabLayout {
  const { prefix } = spec;
  if (!PREFIX_PATTERN.test(prefix) || prefix.length > 16) {
    throw new LabError(
      `lab prefix "${prefix}" is not valid: use up to 16 lowercase letters and digits, starting with a letter`,
    );
  }
  // Segments are named by the subnets of the hosts' first family: IPv4, or IPv6 in an
  // IPv6-only cluster, whose routers' IPv6 legs are then their only legs.
  const ipv6Only = topology.cluster.v4 === undefined;
  if (ipv6Only && spec.sshd) {
    throw new LabError(`${IPV6_ONLY_SSHD_REFUSAL.message}: ${IPV6_ONLY_SSHD_REFUSAL.hint}`);
  }
  const routerLegs = spec.routers.map((router) => {
    const legs4 = router.legs.filter((leg) => !isIpv6Text(leg)).map((l) => parseIpv4Interface(l));
    const legs6 = router.legs.filter(isIpv6Text).map((leg) => parseIpv6Interface(leg));
    return { name: router.name, legs: ipv6Only ? legs6 : legs4, legsV6: ipv6Only ? [] : legs6 };
  });
  const firstSide = (host: Host): HostFamily => {
    const first = host.v4 ?? host.v6;
    if (first === undefined) throw new LabError(`lab host ${host.name} has no underlay address`);
    return first;
  };
  // A dual-stack host's IPv6 side, beside its IPv4 one on the same interface.
  const secondV6 = (host: Host): HostFamily | undefined => (ipv6Only ? undefined : host.v6);
  const subnets = [
    ...new Set([
      ...topology.hosts.map((host) => firstSide(host).underlaySubnet),
      ...routerLegs.flatMap((router) => router.legs.map((leg) => leg.subnet)),
    ]),
  ];
  const segments = new Map(
    subnets.map((subnet) => [subnet, { subnet, bridge: bridgeName(subnet) }]),
  );
  const segmentOf = (subnet: string): LabSegment => segments.get(subnet) as LabSegment;

  // A host or the controller reaches another segment through a router with a leg in both.
  const routesFrom = (attachment: LabAttachment): LabRoute[] =>
    subnets.flatMap((dst) => {
      if (dst === attachment.segment.subnet) return [];
      const router = routerLegs.find(
        (r) =>
          r.legs.some((leg) => leg.subnet === dst) &&
          r.legs.some((leg) => leg.subnet === attachment.segment.subnet),
      );
      const gateway = router?.legs.find((leg) => leg.subnet === attachment.segment.subnet);
      return gateway ? [{ dst, via: gateway.address, dev: attachment.interface }] : [];
    });

  // A dual-stack host reaches the other segments' IPv6 subnets through a router with an IPv6
  // leg on its own IPv6 subnet and one on the other (the loader sees that every router has both).
  const subnetsV6 = [
    ...new Set([
      ...topology.hosts.flatMap((host) => {
        const v6 = secondV6(host);
        return v6 ? [v6.underlaySubnet] : [];
      }),
      ...routerLegs.flatMap((router) => router.legsV6.map((leg) => leg.subnet)),
    ]),
  ];
  const routesFromV6 = (own: string, dev: string): LabRoute[] =>
    subnetsV6.flatMap((dst) => {
      if (dst === own) return [];
      const router = routerLegs.find(
        (r) =>
          r.legsV6.some((leg) => leg.subnet === dst) && r.legsV6.some((leg) => leg.subnet === own),
      );
      const gateway = router?.legsV6.find((leg) => leg.subnet === own);
      return gateway ? [{ dst, via: gateway.address, dev }] : [];
    });
  // The IPv6 subnets of each segment's hosts, by the segment's IPv4 subnet.
  const hostSubnetsV6 = (segment: string): Set<string> =>
    new Set(
      topology.hosts.flatMap((host) =>
        firstSide(host).underlaySubnet === segment ? (secondV6(host)?.underlaySubnet ?? []) : [],
      ),
    );

  const singleHomed = (
    role: LabNodeRole,
    name: string,
    namespace: string,
    iface: string,
    address: string,
    prefixLength: number,
    subnet: string,
  ): LabNode => {
    const attachment: LabAttachment = {
      segment: segmentOf(subnet),
      fabricPort: fabricPortName(namespace, iface),
      interface: iface,
      address,
      prefix: prefixLength,
    };
    return { role, name, namespace, attachments: [attachment], routes: routesFrom(attachment) };
  };

  checkGuests(topology, spec);
  const hosts = topology.hosts.map((host): LabNode => {
    const namespace = hostNamespace(prefix, host.name);
    const ipv4Only = singleHomed(
      "host",
      host.name,
      namespace,
      host.interface,
      firstSide(host).underlayIp,
      firstSide(host).underlayPrefix,
      firstSide(host).underlaySubnet,
    );
    const v6 = secondV6(host);
    const node: LabNode =
      v6 === undefined
        ? ipv4Only
        : {
            ...ipv4Only,
            attachments: ipv4Only.attachments.map((a) => ({
              ...a,
              ipv6: { address: v6.underlayIp, prefix: v6.underlayPrefix },
            })),
            routes: [...ipv4Only.routes, ...routesFromV6(v6.underlaySubnet, host.interface)],
          };
    if (!spec.guests.includes(host.name)) return node;
    const tap = guestTapName(namespace);
    return {
      ...node,
      attachments: node.attachments.map((a) => ({ ...a, fabricPort: tap })),
      guest: { tap, mac: guestMac(namespace) },
    };
  });
  const routers = routerLegs.map((router): LabNode => {
    const namespace = routerNamespace(prefix, router.name);
    return {
      role: "router",
      name: router.name,
      namespace,
      attachments: router.legs.map((leg, index) => {
        // The IPv6 leg on this segment's hosts' IPv6 subnet shares the IPv4 leg's interface.
        const hostsV6 = hostSubnetsV6(leg.subnet);
        const legV6 = router.legsV6.find((candidate) => hostsV6.has(candidate.subnet));
        return {
          segment: segmentOf(leg.subnet),
          fabricPort: fabricPortName(namespace, routerLegInterface(index)),
          interface: routerLegInterface(index),
          address: leg.address,
          prefix: leg.prefix,
          ...(legV6 !== undefined && { ipv6: { address: legV6.address, prefix: legV6.prefix } }),
        };
      }),
      routes: [],
    };
  });

  const first = topology.hosts[0];
  const controller =
    spec.sshd && first
      ? singleHomed(
          "controller",
          "ctl",
          controllerNamespace(prefix),
          "eth0",
          freeAddress(firstSide(first).underlaySubnet, [
            ...topology.hosts.map((host) => firstSide(host).underlayIp),
            ...routerLegs.flatMap((router) => router.legs.map((leg) => leg.address)),
          ]),
          firstSide(first).underlayPrefix,
          firstSide(first).underlaySubnet,
        )
      : undefined;

  const layout: LabLayout = {
    prefix,
    fabric: fabricNamespace(prefix),
    mtu: topology.cluster.mtu,
    segments: [...segments.values()],
    hosts,
    routers,
    controller,
  };
  checkNamespacesDistinct(layout);
  return layout;
}

/**
 * Guests are reached over SSH only, and must be hosts. The topology loader reports both with
 * positions; this guards callers that build a LabSpec by hand.
 */
function checkGuests(topology: Topology, spec: LabSpec): void {
  const stray = spec.guests.filter((guest) => !topology.hosts.some((h) => h.name === guest));
  if (stray.length > 0) {
    throw new LabError(`lab guests ${stray.join(", ")} are not hosts of the topology`);
  }
  if (spec.guests.length > 0 && !spec.sshd) {
    throw new LabError(
      `lab guests (${spec.guests.join(", ")}) need lab.sshd: true: a QEMU guest is reached over SSH only`,
    );
  }
}

/** The highest address of the subnet that nobody uses (routers tend to take the lowest). */
function freeAddress(subnet: string, used: readonly string[]): string {
  const taken = new Set(used);
  const network = new Address4(subnet);
  for (let offset = sizeOf(network) - 2n; offset > 0n; offset -= 1n) {
    const candidate = addressAt(network, offset).correctForm();
    if (!taken.has(candidate)) return candidate;
  }
  throw new LabError(
    `segment ${subnet} has no free address for the lab's controller namespace; use a larger underlay subnet`,
  );
}

/** Host, router and lab names share one namespace; "fabric", "ctl" and "r-*" could collide. */
function checkNamespacesDistinct(layout: LabLayout): void {
  const owners = new Map<string, string>([[layout.fabric, "the fabric"]]);
  const nodes = [
    ...layout.hosts,
    ...layout.routers,
    ...(layout.controller ? [layout.controller] : []),
  ];
  for (const node of nodes) {
    const other = owners.get(node.namespace);
    if (other) {
      throw new LabError(
        `lab namespace ${node.namespace} would serve both ${other} and ${node.role} ${node.name}: rename the ${node.role}`,
      );
    }
    owners.set(node.namespace, `${node.role} ${node.name}`);
  }
}
