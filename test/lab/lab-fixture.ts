import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Host, Topology } from "../../src/topology/topology.js";

/** Topology values for the lab's tests, built directly (the loader is tested on its own). */

export const labHost = (name: string, address: string, prefix = 24): Host => {
  const octets = address.split(".").map(Number);
  const size = 2 ** (32 - prefix);
  const value = octets.reduce((v, o) => v * 256 + o, 0);
  const network = value - (value % size);
  const subnet = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".");
  return {
    name,
    interface: "eth0",
    v4: {
      underlayIp: address,
      underlaySubnet: `${subnet}/${prefix}`,
      underlayPrefix: prefix,
      podCidr: "10.244.1.0/24",
      podCidrAllocated: false,
    },
    transport: { kind: "ssh", host: address },
    workloads: [],
  };
};

export const labTopology = (hosts: readonly Host[], mtu = 1500): Topology => ({
  name: "lab-test",
  source: "test.yaml",
  cluster: {
    v4: { cidr: "10.244.0.0/16", hostPrefix: 24 },
    mode: "vxlan",
    attach: "routed",
    mtu,
    vxlan: { vni: 1, port: 8472, directRouting: false },
    ipip: { crossSubnet: false },
    bgp: { asn: 64512, reflectors: [] },
  },
  hosts,
});

export const run = (argv: readonly string[]): string =>
  execFileSync(argv[0] ?? "", argv.slice(1), {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 10_000,
  });

/** Runs argv in a lab host the way the netns transport does. */
export const inHost = (namespace: string, mntnsDir: string, argv: readonly string[]): string =>
  run([
    "nsenter",
    `--net=/run/netns/${namespace}`,
    `--mount=${mntnsDir}/${namespace}`,
    "--",
    ...argv,
  ]);

export const namespacesWithPrefix = (prefix: string): string[] =>
  run(["ip", "netns", "list"])
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name.startsWith(`${prefix}-`));

/** The root namespace's addresses and routes, to compare byte for byte before and after. */
export const rootNetworkSnapshot = (): string =>
  run(["ip", "-j", "addr"]) + run(["ip", "-j", "route", "show", "table", "all"]);

export const mountsUnder = (dir: string): string[] =>
  run(["cat", "/proc/self/mountinfo"])
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((target) => target === dir || target.startsWith(`${dir}/`));

export const isAlive = (pid: number): boolean => {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const stat = run(["cat", `/proc/${pid}/stat`]);
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
};
