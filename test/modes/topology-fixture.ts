import type { AttachStyle, Host, ModeName, Topology } from "../../src/topology/topology.js";

/**
 * Topology values for the compiler's tests, built directly (the loader is tested on its own).
 * Underlay subnets here are /24s, so a host's subnet is its address with the last octet 0.
 */

export interface HostSpec {
  readonly name: string;
  /** Underlay address without prefix, in a /24. */
  readonly ip: string;
  readonly podCidr: string;
  readonly interface?: string;
  /** [workload name, address] pairs. */
  readonly workloads?: readonly (readonly [string, string])[];
}

export interface TopologySpec {
  readonly name?: string;
  readonly mode: ModeName;
  readonly attach?: AttachStyle;
  readonly cidr?: string;
  readonly mtu?: number;
  readonly vxlan?: Partial<Topology["cluster"]["vxlan"]>;
  readonly ipip?: Partial<Topology["cluster"]["ipip"]>;
  readonly bgp?: Partial<Topology["cluster"]["bgp"]>;
  readonly hosts: readonly HostSpec[];
}

export const buildHost = (spec: HostSpec): Host => ({
  name: spec.name,
  interface: spec.interface ?? "eth0",
  v4: {
    underlayIp: spec.ip,
    underlaySubnet: `${spec.ip.split(".").slice(0, 3).join(".")}.0/24`,
    underlayPrefix: 24,
    podCidr: spec.podCidr,
    podCidrAllocated: false,
  },
  transport: { kind: "ssh", host: spec.ip },
  workloads: (spec.workloads ?? []).map(([name, ip]) => ({
    name,
    ipV4: ip,
    ipV4Allocated: false,
  })),
});

export const buildTopology = (spec: TopologySpec): Topology => ({
  name: spec.name ?? "demo",
  source: "test.yaml",
  cluster: {
    v4: { cidr: spec.cidr ?? "10.244.0.0/16", hostPrefix: 24 },
    mode: spec.mode,
    attach: spec.attach ?? "routed",
    mtu: spec.mtu ?? 1500,
    vxlan: { vni: 1, port: 8472, directRouting: false, ...spec.vxlan },
    ipip: { crossSubnet: false, ...spec.ipip },
    bgp: { asn: 64512, reflectors: [], ...spec.bgp },
  },
  hosts: spec.hosts.map(buildHost),
});

/** `count` hosts node-1.. on 192.168.64.0/24 with blocks 10.244.<i>.0/24 and no workloads. */
export const buildHosts = (count: number): HostSpec[] =>
  Array.from({ length: count }, (_, index) => ({
    name: `node-${index + 1}`,
    ip: `192.168.64.${index + 11}`,
    podCidr: `10.244.${index + 1}.0/24`,
  }));

/**
 * `topology` made dual-stack: cluster fd00:10:244::/56 with /64 blocks, and every host the
 * IPv6 side of its IPv4 one (192.168.64.<n> → 2001:db8:64::<n>/64, 10.244.<i>.0/24 →
 * fd00:10:244:<i>::/64).
 */
export const withIpv6 = (topology: Topology): Topology => ({
  ...topology,
  cluster: { ...topology.cluster, v6: { cidr: "fd00:10:244::/56", hostPrefix: 64 } },
  hosts: topology.hosts.map((host) => ({
    ...host,
    v6: {
      underlayIp: `2001:db8:64::${host.v4?.underlayIp.split(".")[3] ?? ""}`,
      underlaySubnet: "2001:db8:64::/64",
      underlayPrefix: 64,
      podCidr: `fd00:10:244:${host.v4?.podCidr.split(".")[2] ?? ""}::/64`,
      podCidrAllocated: false,
    },
  })),
});
