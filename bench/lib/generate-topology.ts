import { stringify } from "yaml";

/** The modes the benchmarks cover (ipip needs a guest kernel in a lab: offline only). */
export type BenchMode = "host-gw" | "vxlan" | "ipip" | "bgp";

export interface GeneratedTopologyOptions {
  readonly name: string;
  readonly hosts: number;
  readonly mode: BenchMode;
  /** bgp only: the first two hosts reflect routes; false: a full mesh. */
  readonly reflectors?: boolean;
  /** A lab section with this prefix and an sshd per host; absent: an offline topology. */
  readonly labPrefix?: string;
}

/**
 * A topology of `hosts` hosts, one workload each, the way the issue's measurements were
 * taken (vxlan and host-gw attach by bridge, ipip and bgp routed). Offline topologies put
 * every host on one segment of 198.18.0.0/15 (RFC 2544's benchmarking range, room for 5,000
 * hosts); lab topologies use 192.0.2.0/24 (at most 250 hosts). Blocks are /24s of
 * 10.0.0.0/8, allocated by netplan-k itself. Throws when the count does not fit the range.
 */
export function generateTopology(options: GeneratedTopologyOptions): string {
  const lab = options.labPrefix !== undefined;
  const limit = lab ? 250 : 130_000;
  if (options.hosts < 1 || options.hosts > limit) {
    throw new RangeError(`${options.hosts} hosts do not fit the underlay (1 to ${limit})`);
  }
  const routed = options.mode === "ipip" || options.mode === "bgp";
  const hosts = Array.from({ length: options.hosts }, (_, i) => ({
    name: `node-${i + 1}`,
    address: lab
      ? `192.0.2.${i + 2}/24`
      : `198.${18 + ((i + 2) >> 16)}.${((i + 2) >> 8) & 255}.${(i + 2) & 255}/15`,
    namespaces: [{ name: `w${i + 1}` }],
  }));
  const cluster = {
    cidr: "10.0.0.0/8",
    mode: options.mode,
    attach: routed ? "routed" : "bridge",
    ...(options.mode === "bgp" &&
      options.reflectors === true && { bgp: { reflectors: ["node-1", "node-2"] } }),
  };
  const topology = {
    apiVersion: "netplan-k/v1",
    name: options.name,
    cluster,
    hosts,
    ...(lab && { lab: { prefix: options.labPrefix, sshd: true } }),
  };
  return stringify(topology);
}
