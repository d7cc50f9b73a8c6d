import { suggestBlock } from "./allocate-blocks.js";
import { blockCount, cidrText, overlaps, type IpPrefix } from "./block-math.js";
import { CLUSTER_DEFAULTS } from "./cluster-defaults.js";
import type { DraftHost, DraftTopology, Field, Given } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath, type Path } from "./path.js";
import { reservedRangeOf } from "./reserved-ranges.js";

/** cluster.cidr, hostPrefix and the blocks written in the file, each family on its own. */
export function checkBlocks({ cluster, hosts }: DraftTopology): Finding[] {
  // An IPv6-only cluster has no IPv4 blocks: its IPv4 values are refused by checkFamilies.
  const v4 =
    cluster.cidrFamilies?.v4 === false
      ? []
      : checkFamilyBlocks(hosts, {
          cidr: cluster.cidr,
          hostPrefix: cluster.hostPrefix,
          hostPrefixPath: cluster.hostPrefixPath,
          hostPrefixName: "cluster.hostPrefix",
          defaultHostPrefix: CLUSTER_DEFAULTS.hostPrefix,
          podCidr: (host) => host.podCidr,
          address: (host) => host.address,
        });
  if (cluster.cidrV6 === undefined) return v4;
  const v6 = checkFamilyBlocks(hosts, {
    cidr: cluster.cidrV6,
    hostPrefix: cluster.hostPrefixV6,
    hostPrefixPath: cluster.hostPrefixV6Path,
    hostPrefixName: "cluster.hostPrefixV6",
    defaultHostPrefix: CLUSTER_DEFAULTS.hostPrefixV6,
    podCidr: (host) => host.podCidrV6,
    address: (host) => host.addressV6,
  });
  return [...v4, ...v6];
}

/** One family's range, block size, written blocks and underlay addresses. */
interface FamilyBlocks<P extends IpPrefix> {
  readonly cidr: Field<P> | undefined;
  readonly hostPrefix: number | undefined;
  readonly hostPrefixPath: Path | undefined;
  readonly hostPrefixName: string;
  readonly defaultHostPrefix: number;
  podCidr(host: DraftHost): Given<P>;
  address(host: DraftHost): Field<P> | undefined;
}

function checkFamilyBlocks<P extends IpPrefix>(
  hosts: readonly DraftHost[],
  family: FamilyBlocks<P>,
): Finding[] {
  const findings: Finding[] = [];
  const { cidr, hostPrefix, hostPrefixName } = family;
  const hostName = (i: number): string => hosts[i]?.name?.value ?? formatPath(["hosts", i]);

  const reserved = cidr === undefined ? undefined : reservedRangeOf(cidr.value);
  if (cidr !== undefined && reserved !== undefined) {
    findings.push(
      errorAt(
        cidr.path,
        `cluster.cidr ${cidrText(cidr.value)} overlaps ${reserved}: the kernel does not route it as unicast between hosts`,
        `use a private range, such as ${cidr.value.v4 ? "10.244.0.0/16" : "fd00:10:244::/56"}`,
      ),
    );
  }

  let splittable = false;
  if (cidr !== undefined && hostPrefix !== undefined) {
    const clusterText = cidrText(cidr.value);
    if (hostPrefix <= cidr.value.subnetMask) {
      findings.push(
        family.hostPrefixPath !== undefined
          ? errorAt(
              family.hostPrefixPath,
              `${hostPrefixName} ${hostPrefix} must be longer than the prefix of cluster.cidr ${clusterText}, so that the cluster splits into one block per host`,
            )
          : errorAt(
              cidr.path,
              `cluster.cidr ${clusterText} is too small for blocks of the default ${hostPrefixName} ${family.defaultHostPrefix}: the host prefix must be longer than the cluster's`,
              `set ${hostPrefixName} (such as ${family.defaultHostPrefix + 2}) or use a larger cluster.cidr`,
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
            `use a larger cluster.cidr or a longer ${hostPrefixName}`,
          ),
        );
      }
    }
  }

  const explicit = hosts.flatMap((host, index) => {
    const field = family.podCidr(host);
    return typeof field === "string" ? [] : [{ index, field }];
  });
  explicit.forEach(({ index, field }, position) => {
    const where = `${formatPath(field.path)} ${cidrText(field.value)}`;
    if (hostPrefix !== undefined && field.value.subnetMask !== hostPrefix) {
      findings.push(
        errorAt(
          field.path,
          `${where} is a /${field.value.subnetMask}, but ${hostPrefixName} is ${hostPrefix}: every block has that size`,
          `use a /${hostPrefix}, or change ${hostPrefixName}`,
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
      const address = family.address(host);
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
