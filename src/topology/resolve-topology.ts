import { Address4 } from "ip-address";
import type { Allocation } from "./allocate.js";
import { cidrText } from "./block-math.js";
import { workloadId } from "./draft.js";
import { CLUSTER_DEFAULTS } from "./cluster-defaults.js";
import { resolveLab } from "./resolve-lab.js";
import type { Host, ResolvedTransport, Topology } from "./topology.js";
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
  const cidr = new Address4(cluster.cidr);
  return {
    name: file.name,
    source,
    cluster: {
      cidr: cidrText(cidr),
      hostPrefix: cluster.hostPrefix ?? CLUSTER_DEFAULTS.hostPrefix,
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
  const underlay = new Address4(host.address);
  const block = allocation.blocks.get(index);
  if (block === undefined) throw new Error(`no block resolved for host ${host.name}`);
  return {
    name: host.name,
    underlayIp: underlay.addressMinusSuffix,
    underlaySubnet: cidrText(underlay),
    underlayPrefix: underlay.subnetMask,
    interface: host.interface ?? defaults?.interface ?? DEFAULT_INTERFACE,
    podCidr: cidrText(block.block),
    podCidrAllocated: block.allocated,
    transport: resolveTransport(host, underlay.addressMinusSuffix, defaults),
    workloads: (host.namespaces ?? []).map((workload, j) => {
      const ip = allocation.ips.get(workloadId(index, j));
      if (ip === undefined) throw new Error(`no address resolved for workload ${workload.name}`);
      return { name: workload.name, ip: ip.ip.correctForm(), ipAllocated: ip.allocated };
    }),
  };
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
