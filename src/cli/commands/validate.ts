import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";

/** `netplan-k validate`: the topology is checked and its resolved blocks shown. */
export async function runValidate(file: string, output: Output): Promise<number> {
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const { cluster, hosts } = topology;
  const workloads = hosts.reduce((sum, host) => sum + host.workloads.length, 0);
  output.out(
    `${file}: valid. Topology ${topology.name}: ${hosts.length} ${hosts.length === 1 ? "host" : "hosts"}, ` +
      `${workloads} ${workloads === 1 ? "workload" : "workloads"}, mode ${cluster.mode}, attach ${cluster.attach}, cluster ${cluster.cidr}${cluster.cidrV6 === undefined ? "" : ` and ${cluster.cidrV6}`}.`,
  );
  for (const host of hosts) {
    const block = `${host.podCidr}${host.podCidrAllocated ? " (allocated)" : ""}`;
    const names = host.workloads.map((w) => `${w.name} ${w.ip}${w.ipAllocated ? "*" : ""}`);
    output.out(
      `  ${host.name.padEnd(16)} ${host.underlayIp.padEnd(16)} ${block.padEnd(28)} ${names.join(", ")}`,
    );
    // A dual-stack host's IPv6 side on a line of its own under the IPv4 one.
    if (host.v6 !== undefined) {
      const blockV6 = `${host.v6.podCidr}${host.v6.podCidrAllocated ? " (allocated)" : ""}`;
      const namesV6 = host.workloads.map(
        (w) => `${w.name} ${w.ipV6 ?? "?"}${w.ipV6Allocated === true ? "*" : ""}`,
      );
      output.out(
        `  ${"".padEnd(16)} ${host.v6.underlayIp.padEnd(16)} ${blockV6.padEnd(28)} ${namesV6.join(", ")}`,
      );
    }
  }
  if (hosts.some((h) => h.workloads.some((w) => w.ipAllocated || w.ipV6Allocated === true))) {
    output.out("  * address allocated from the workload's name");
  }
  if (
    hosts.some(
      (h) =>
        h.podCidrAllocated ||
        h.v6?.podCidrAllocated === true ||
        h.workloads.some((w) => w.ipAllocated || w.ipV6Allocated === true),
    )
  ) {
    output.out(
      "Allocated from names alone: validate contacts no host. plan and apply keep the block " +
        "or address a live host already holds, which can differ from this.",
    );
  }
  return EXIT_OK;
}
