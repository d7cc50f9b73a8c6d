import { Address4, Address6 } from "ip-address";
import type { Allocation } from "./allocate.js";
import { addressText, cidrText } from "./block-math.js";
import { workloadId } from "./draft.js";
import { CLUSTER_DEFAULTS } from "./cluster-defaults.js";
import { isIpv6Text } from "./parse-address.js";
import { resolveLab } from "./resolve-lab.js";
import type { Host, HostV6, ResolvedTransport, Topology } from "./topology.js";
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
  const cidr = new Address4(cidrs.v4 ?? "");
  return {
    name: file.name,
    source,
    cluster: {
      cidr: cidrText(cidr),
      hostPrefix: cluster.hostPrefix ?? CLUSTER_DEFAULTS.hostPrefix,
      ...(cidrs.v6 !== undefined && {
        cidrV6: cidrText(new Address6(cidrs.v6)),
        hostPrefixV6: cluster.hostPrefixV6 ?? CLUSTER_DEFAULTS.hostPrefixV6,
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
  const underlay = new Address4(addresses.v4 ?? "");
  const block = allocation.blocks.get(index);
  if (block === undefined) throw new Error(`no block resolved for host ${host.name}`);
  const v6 = resolveHostV6(host, index, addresses.v6, allocation);
  return {
    name: host.name,
    underlayIp: underlay.addressMinusSuffix,
    underlaySubnet: cidrText(underlay),
    underlayPrefix: underlay.subnetMask,
    interface: host.interface ?? defaults?.interface ?? DEFAULT_INTERFACE,
    podCidr: cidrText(block.block),
    podCidrAllocated: block.allocated,
    ...(v6 !== undefined && { v6 }),
    transport: resolveTransport(host, underlay.addressMinusSuffix, defaults),
    workloads: (host.namespaces ?? []).map((workload, j) => {
      const ip = allocation.ips.get(workloadId(index, j));
      if (ip === undefined) throw new Error(`no address resolved for workload ${workload.name}`);
      const ipV6 = allocation.ipsV6.get(workloadId(index, j));
      return {
        name: workload.name,
        ip: ip.ip.correctForm(),
        ipAllocated: ip.allocated,
        ...(ipV6 !== undefined && {
          ipV6: addressText(ipV6.ip),
          ipV6Allocated: ipV6.allocated,
        }),
      };
    }),
  };
}

/** The host's IPv6 side when the cluster has one (allocation then holds its block). */
function resolveHostV6(
  host: HostFile,
  index: number,
  address: string | undefined,
  allocation: Allocation,
): HostV6 | undefined {
  const block = allocation.blocksV6.get(index);
  if (block === undefined) return undefined;
  if (address === undefined) throw new Error(`no IPv6 underlay address for host ${host.name}`);
  const underlay = new Address6(address);
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
