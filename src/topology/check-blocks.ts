import { suggestBlock } from "./allocate-blocks.js";
import { blockCount, cidrText, overlaps } from "./block-math.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

/** cluster.cidr, hostPrefix and the blocks written in the file. */
export function checkBlocks({ cluster, hosts }: DraftTopology): Finding[] {
  const findings: Finding[] = [];
  const { cidr, hostPrefix } = cluster;
  const hostName = (i: number): string => hosts[i]?.name?.value ?? formatPath(["hosts", i]);

  let splittable = false;
  if (cidr !== undefined && hostPrefix !== undefined) {
    const clusterText = cidrText(cidr.value);
    if (hostPrefix <= cidr.value.subnetMask) {
      findings.push(
        cluster.hostPrefixPath !== undefined
          ? errorAt(
              cluster.hostPrefixPath,
              `cluster.hostPrefix ${hostPrefix} must be longer than the prefix of cluster.cidr ${clusterText}, so that the cluster splits into one block per host`,
            )
          : errorAt(
              cidr.path,
              `cluster.cidr ${clusterText} is too small for blocks of the default cluster.hostPrefix 24: the host prefix must be longer than the cluster's`,
              "set cluster.hostPrefix (such as 26) or use a larger cluster.cidr",
            ),
      );
    } else {
      splittable = true;
      const room = blockCount(cidr.value, hostPrefix);
      if (room < BigInt(hosts.length)) {
        findings.push(
          errorAt(
            cidr.path,
            `cluster.cidr ${clusterText} has room for ${room} blocks of /${hostPrefix}, but there are ${hosts.length} hosts`,
            "use a larger cluster.cidr or a longer cluster.hostPrefix",
          ),
        );
      }
    }
  }

  const explicit = hosts.flatMap((host, index) =>
    typeof host.podCidr === "string" ? [] : [{ index, field: host.podCidr }],
  );
  explicit.forEach(({ index, field }, position) => {
    const where = `${formatPath(field.path)} ${cidrText(field.value)}`;
    if (hostPrefix !== undefined && field.value.subnetMask !== hostPrefix) {
      findings.push(
        errorAt(
          field.path,
          `${where} is a /${field.value.subnetMask}, but cluster.hostPrefix is ${hostPrefix}: every block has that size`,
          `use a /${hostPrefix}, or change cluster.hostPrefix`,
        ),
      );
    }
    if (
      cidr !== undefined &&
      hostPrefix !== undefined &&
      splittable &&
      !field.value.isInSubnet(cidr.value)
    ) {
      const taken = explicit.filter((o) => o.field !== field).map((o) => o.field.value);
      const suggestion = suggestBlock(cidr.value, hostPrefix, hostName(index), taken);
      findings.push(
        errorAt(
          field.path,
          `${where} is outside cluster.cidr ${cidrText(cidr.value)}`,
          suggestion === undefined
            ? "remove podCidr, or use a larger cluster.cidr"
            : `use a free /${hostPrefix} inside ${cidrText(cidr.value)}, such as ${cidrText(suggestion)}, or remove podCidr to have a block allocated`,
        ),
      );
    }
    const other = explicit.slice(0, position).find((o) => overlaps(o.field.value, field.value));
    if (other !== undefined) {
      findings.push(
        errorAt(
          field.path,
          `${where} overlaps ${hostName(other.index)}'s block ${cidrText(other.field.value)}`,
          "every host needs a block of its own",
        ),
      );
    }
  });

  if (cidr !== undefined) {
    for (const host of hosts) {
      const address = host.address;
      if (address === undefined || !overlaps(address.value, cidr.value)) continue;
      findings.push(
        errorAt(
          address.path,
          `${formatPath(address.path)} ${address.value.address} is on subnet ${cidrText(address.value)}, which overlaps cluster.cidr ${cidrText(cidr.value)}: routes for the cluster range would capture the path to the host, SSH included`,
          "choose a cluster.cidr apart from every underlay subnet",
        ),
      );
    }
  }
  return findings;
}
