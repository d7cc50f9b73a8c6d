import { addressText } from "./block-math.js";
import type { DraftHost, DraftTopology, Families } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import { findDuplicates } from "./find-duplicates.js";
import type { ModeCatalog } from "./mode-facts.js";
import { formatPath, type Path } from "./path.js";

/**
 * The address families of a file agree: cluster.cidr decides them (one IPv4 range, one IPv6
 * range for an IPv6-only cluster, or one of each for dual-stack); every host has an underlay
 * address of each family the cluster has; no block or workload address is of a family the
 * cluster lacks, and an underlay address or hostPrefix of such a family is warned about as
 * having no effect; IPv6 underlay and workload addresses are unique; and the mode carries
 * IPv6 (`catalog`).
 */
export function checkFamilies(draft: DraftTopology, catalog: ModeCatalog): Finding[] {
  const { cluster, hosts } = draft;
  const families = cluster.cidrFamilies;
  if (families === undefined || cluster.cidrPath === undefined) return [];
  const findings: Finding[] = [];
  const hostName = (path: Path): string =>
    hosts.find((h) => h.path === path)?.name?.value ?? formatPath(path);

  const mode = cluster.mode?.value;
  const refusal = mode === undefined ? undefined : catalog[mode].ipv6Refusal;
  if (families.v6 && refusal !== undefined && cluster.cidrV6 !== undefined) {
    findings.push(errorAt(cluster.cidrV6.path, refusal.message, refusal.hint));
  }

  if (!families.v6 && cluster.hostPrefixV6Path !== undefined) {
    findings.push(
      warningAt(
        cluster.hostPrefixV6Path,
        "key",
        "cluster.hostPrefixV6 has no effect: cluster.cidr has no IPv6 range",
        "add an IPv6 range to cluster.cidr to make the cluster dual-stack, or remove hostPrefixV6",
      ),
    );
  }
  if (!families.v4 && cluster.hostPrefixPath !== undefined) {
    findings.push(
      warningAt(
        cluster.hostPrefixPath,
        "key",
        "cluster.hostPrefix has no effect: cluster.cidr has no IPv4 range (the IPv6 blocks' size is cluster.hostPrefixV6)",
        "remove hostPrefix, or set hostPrefixV6 (default 64) for the size of each host's IPv6 block",
      ),
    );
  }

  for (const host of hosts) {
    const name = host.name?.value ?? formatPath(host.path);
    const written = host.addressFamilies;
    if (written !== undefined && host.addressPath !== undefined) {
      findings.push(...checkHostFamilies(host.addressPath, name, written, families));
    }
    if (!families.v4) findings.push(...checkStrayIpv4(host));
    if (families.v6) continue;
    if (host.addressV6 !== undefined) {
      findings.push(
        warningAt(
          host.addressV6.path,
          "value",
          `${formatPath(host.addressV6.path)} ${host.addressV6.value.address} has no effect: cluster.cidr has no IPv6 range`,
          "add an IPv6 range to cluster.cidr to make the cluster dual-stack, or remove this address",
        ),
      );
    }
    const strays = [host.podCidrV6, ...host.workloads.map((w) => w.ipV6)].flatMap((given) =>
      typeof given === "string" ? [] : [given],
    );
    for (const stray of strays) {
      findings.push(
        errorAt(
          stray.path,
          `${formatPath(stray.path)} ${stray.value.address} is IPv6, but cluster.cidr has no IPv6 range`,
          "add an IPv6 range to cluster.cidr to make the cluster dual-stack, or remove this value",
        ),
      );
    }
  }

  if (!families.v6) return findings;
  const underlays = hosts.flatMap((h) => (h.addressV6 ? [{ host: h, field: h.addressV6 }] : []));
  findings.push(
    ...findDuplicates(
      underlays,
      (u) => addressText(u.field.value),
      (u, first) =>
        errorAt(
          u.field.path,
          `${formatPath(u.field.path)} ${u.field.value.address}: ${addressText(u.field.value)} is already the address of ${hostName(first.host.path)}`,
          "every host needs its own underlay address",
        ),
    ),
  );
  const ips = hosts.flatMap((host) =>
    host.workloads.flatMap((w) =>
      typeof w.ipV6 === "string"
        ? []
        : [{ host, name: w.name?.value ?? formatPath(w.path), field: w.ipV6 }],
    ),
  );
  findings.push(
    ...findDuplicates(
      ips,
      (i) => addressText(i.field.value),
      (i, first) =>
        errorAt(
          i.field.path,
          `${formatPath(i.field.path)} ${addressText(i.field.value)} is already the address of ${first.name} on ${hostName(first.host.path)}`,
          "every workload in the cluster needs its own address",
        ),
    ),
  );
  return findings;
}

/**
 * A host's underlay address has every family of the cluster: both in a dual-stack cluster,
 * IPv6 in an IPv6-only one. (An IPv4 cluster's hosts have IPv4 by the schema and the reader.)
 */
function checkHostFamilies(
  addressPath: Path,
  name: string,
  written: Families,
  families: Families,
): Finding[] {
  if (families.v4 && families.v6) {
    return (
      [
        ["IPv4", written.v4],
        ["IPv6", written.v6],
      ] as const
    ).flatMap(([lacking, present]) =>
      present
        ? []
        : [
            errorAt(
              addressPath,
              `${formatPath(addressPath)} (${name}) has no ${lacking} address, but the cluster is dual-stack: every host needs an underlay address of each family`,
              "write both, such as address: [192.0.2.11/24, 2001:db8::11/64]",
            ),
          ],
    );
  }
  if (!families.v6) return [];
  if (!written.v6) {
    return [
      errorAt(
        addressPath,
        `${formatPath(addressPath)} (${name}) has only an IPv4 address, but the cluster is IPv6-only (cluster.cidr has only an IPv6 range): every host needs an IPv6 underlay address`,
        "write the host's IPv6 address with its prefix length, such as address: 2001:db8::11/64",
      ),
    ];
  }
  if (!written.v4) return [];
  return [
    warningAt(
      addressPath,
      "value",
      `${formatPath(addressPath)} (${name}): its IPv4 address has no effect, the cluster is IPv6-only (cluster.cidr has only an IPv6 range)`,
      "add an IPv4 range to cluster.cidr to make the cluster dual-stack, or remove the IPv4 address",
    ),
  ];
}

/** In an IPv6-only cluster, an IPv4 block or workload address has no range to live in. */
function checkStrayIpv4(host: DraftHost): Finding[] {
  const strays = [host.podCidr, ...host.workloads.map((w) => w.ip)].flatMap((given) =>
    typeof given === "string" ? [] : [given],
  );
  return strays.map((stray) =>
    errorAt(
      stray.path,
      `${formatPath(stray.path)} ${stray.value.address} is IPv4, but the cluster is IPv6-only (cluster.cidr has only an IPv6 range)`,
      "write an IPv6 value here, or add an IPv4 range to cluster.cidr to make the cluster dual-stack",
    ),
  );
}
