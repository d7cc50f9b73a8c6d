import { Address4, Address6 } from "ip-address";
import type { Allocation } from "./allocate.js";
import { addressText, cidrText } from "./block-math.js";
import { workloadId } from "./draft.js";
import { CLUSTER_DEFAULTS } from "./cluster-defaults.js";
import { hostAddress } from "./host-families.js";
import { isIpv6Text } from "./parse-address.js";
import { resolveLab } from "./resolve-lab.js";
import type { AllocatedBlock } from "./allocate-blocks.js";
import type { Host, HostFamily, ResolvedTransport, Topology } from "./topology.js";
import type { Defaults, Host as HostFile, TopologyFile } from "./topology-file.generated.js";

const DEFAULT_INTERFACE = "eth0";

/**
 * The file, known to be valid, with every default filled in and every block and workload
 * address resolved: what the compiler reads. Throws only on a broken invariant (a caller
 * that skipped validation).
 */
export function resolveTopology(
  file: TopologyFile,
  source: string,
  allocation: Allocation,
): Topology {
  const cluster = file.cluster;
  const cidrs = byFamily(cluster.cidr);
  return {
    name: file.name,
    source,
    cluster: {
      ...(cidrs.v4 !== undefined && {
        v4: {
          cidr: cidrText(new Address4(cidrs.v4)),
          hostPrefix: cluster.hostPrefix ?? CLUSTER_DEFAULTS.hostPrefix,
        },
      }),
      ...(cidrs.v6 !== undefined && {
        v6: {
          cidr: cidrText(new Address6(cidrs.v6)),
          hostPrefix: cluster.hostPrefixV6 ?? CLUSTER_DEFAULTS.hostPrefixV6,
        },
      }),
      mode: cluster.mode,
      attach: cluster.attach ?? CLUSTER_DEFAULTS.attach,
      mtu: cluster.mtu ?? CLUSTER_DEFAULTS.mtu,
      vxlan: {
        vni: cluster.vxlan?.vni ?? CLUSTER_DEFAULTS.vxlan.vni,
        port: cluster.vxlan?.port ?? CLUSTER_DEFAULTS.vxlan.port,
        directRouting: cluster.vxlan?.directRouting ?? CLUSTER_DEFAULTS.vxlan.directRouting,
      },
      ipip: { crossSubnet: cluster.ipip?.crossSubnet ?? CLUSTER_DEFAULTS.ipip.crossSubnet },
      bgp: {
        asn: cluster.bgp?.asn ?? CLUSTER_DEFAULTS.bgp.asn,
        reflectors: cluster.bgp?.reflectors ?? [...CLUSTER_DEFAULTS.bgp.reflectors],
      },
    },
    hosts: file.hosts.map((host, index) => resolveHost(host, index, file.defaults, allocation)),
    ...(file.lab === undefined ? {} : { lab: resolveLab(file.lab) }),
  };
}

function resolveHost(
  host: HostFile,
  index: number,
  defaults: Defaults | undefined,
  allocation: Allocation,
): Host {
  const addresses = byFamily(host.address);
  const v4 = resolveHostFamily(
    host,
    addresses.v4,
    allocation.blocks.get(index),
    (ip) => new Address4(ip),
  );
  const v6 = resolveHostFamily(
    host,
    addresses.v6,
    allocation.blocksV6.get(index),
    (ip) => new Address6(ip),
  );
  return {
    name: host.name,
    interface: host.interface ?? defaults?.interface ?? DEFAULT_INTERFACE,
    ...(v4 !== undefined && { v4 }),
    ...(v6 !== undefined && { v6 }),
    transport: resolveTransport(host, hostAddress({ name: host.name, v4, v6 }), defaults),
    workloads: (host.namespaces ?? []).map((workload, j) => {
      const ipV4 = allocation.ips.get(workloadId(index, j));
      const ipV6 = allocation.ipsV6.get(workloadId(index, j));
      if (ipV4 === undefined && ipV6 === undefined) {
        throw new Error(`no address resolved for workload ${workload.name}`);
      }
      return {
        name: workload.name,
        ...(ipV4 !== undefined && {
          ipV4: addressText(ipV4.ip),
          ipV4Allocated: ipV4.allocated,
        }),
        ...(ipV6 !== undefined && {
          ipV6: addressText(ipV6.ip),
          ipV6Allocated: ipV6.allocated,
        }),
      };
    }),
  };
}

/**
 * The host's side of one family, when the cluster has that family (allocation then holds its
 * block). Throws when the block is there but the host has no underlay address of its family
 * (a caller that skipped validation).
 */
function resolveHostFamily(
  host: HostFile,
  address: string | undefined,
  block: AllocatedBlock<Address4 | Address6> | undefined,
  parse: (address: string) => Address4 | Address6,
): HostFamily | undefined {
  if (block === undefined) return undefined;
  if (address === undefined) {
    throw new Error(
      `no underlay address of block ${cidrText(block.block)}'s family for host ${host.name}`,
    );
  }
  const underlay = parse(address);
  return {
    underlayIp: addressText(underlay),
    underlaySubnet: cidrText(underlay),
    underlayPrefix: underlay.subnetMask,
    podCidr: cidrText(block.block),
    podCidrAllocated: block.allocated,
  };
}

/** A field of one value or a dual-stack list, by family (the schema allows one of each). */
function byFamily(value: string | readonly string[]): { v4?: string; v6?: string } {
  const texts = typeof value === "string" ? [value] : value;
  const v4 = texts.find((t) => !isIpv6Text(t));
  const v6 = texts.find(isIpv6Text);
  return { ...(v4 !== undefined && { v4 }), ...(v6 !== undefined && { v6 }) };
}

/** ssh unless said otherwise; defaults.ssh under the host's own settings; host = underlay IP. */
function resolveTransport(
  host: HostFile,
  underlayIp: string,
  defaults: Defaults | undefined,
): ResolvedTransport {
  const transport = host.transport ?? { kind: "ssh" };
  if (transport.kind !== "ssh") return transport;
  const { kind, ...own } = transport;
  return { kind, ...defaults?.ssh, ...own, host: own.host ?? underlayIp };
}
