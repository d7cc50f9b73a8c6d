import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";
import type { Workload } from "../../topology/topology.js";

/** `netplan-k validate`: the topology is checked and its resolved blocks shown. */
export async function runValidate(file: string, output: Output): Promise<number> {
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const { cluster, hosts } = topology;
  const workloads = hosts.reduce((sum, host) => sum + host.workloads.length, 0);
  const ranges = [cluster.v4, cluster.v6].flatMap((range) => (range ? [range.cidr] : []));
  output.out(
    `${file}: valid. Topology ${topology.name}: ${hosts.length} ${hosts.length === 1 ? "host" : "hosts"}, ` +
      `${workloads} ${workloads === 1 ? "workload" : "workloads"}, mode ${cluster.mode}, attach ${cluster.attach}, cluster ${ranges.join(" and ")}.`,
  );
  // One row per family a host has, IPv4 first; the host's name on the first only.
  const rows = hosts.flatMap((host) => {
    const families = [
      { side: host.v4, ip: (w: Workload) => w.ipV4, allocated: (w: Workload) => w.ipV4Allocated },
      { side: host.v6, ip: (w: Workload) => w.ipV6, allocated: (w: Workload) => w.ipV6Allocated },
    ];
    return families.flatMap(({ side, ip, allocated }, index) =>
      side === undefined
        ? []
        : [
            [
              index === 0 || host.v4 === undefined ? host.name : "",
              side.underlayIp,
              `${side.podCidr}${side.podCidrAllocated ? " (allocated)" : ""}`,
              host.workloads
                .map((w) => `${w.name} ${ip(w) ?? "?"}${allocated(w) === true ? "*" : ""}`)
                .join(", "),
            ],
          ],
    );
  });
  // Columns at least as wide as they always were, wider where an entry needs it.
  const widths = [16, 16, 28].map((least, column) =>
    Math.max(least, ...rows.map((row) => (row[column] ?? "").length)),
  );
  for (const row of rows) {
    const cells = row.map((cell, column) => cell.padEnd(widths[column] ?? 0));
    output.out(`  ${cells.join(" ").trimEnd()}`);
  }
  const isAllocated = (w: Workload): boolean =>
    w.ipV4Allocated === true || w.ipV6Allocated === true;
  if (hosts.some((h) => h.workloads.some(isAllocated))) {
    output.out("  * address allocated from the workload's name");
  }
  if (
    hosts.some(
      (h) =>
        h.v4?.podCidrAllocated === true ||
        h.v6?.podCidrAllocated === true ||
        h.workloads.some(isAllocated),
    )
  ) {
    output.out(
      "Allocated from names alone: validate contacts no host. plan and apply keep the block " +
        "or address a live host already holds, which can differ from this.",
    );
  }
  return EXIT_OK;
}
