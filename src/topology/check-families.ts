import { addressText } from "./block-math.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import { findDuplicates } from "./find-duplicates.js";
import type { ModeCatalog } from "./mode-facts.js";
import { formatPath, type Path } from "./path.js";

/**
 * The address families of a file agree: cluster.cidr decides them (one IPv4 range, or an
 * IPv4 and an IPv6 range for dual-stack); every host of a dual-stack cluster has an underlay
 * address of each family; no block or workload address is of a family the cluster lacks;
 * IPv6 underlay and workload addresses are unique; and the mode carries IPv6 (`catalog`).
 * IPv6-only clusters are refused: nothing downstream of the loader builds them yet.
 */
export function checkFamilies(draft: DraftTopology, catalog: ModeCatalog): Finding[] {
  const { cluster, hosts } = draft;
  const families = cluster.cidrFamilies;
  if (families === undefined || cluster.cidrPath === undefined) return [];
  const findings: Finding[] = [];
  const hostName = (path: Path): string =>
    hosts.find((h) => h.path === path)?.name?.value ?? formatPath(path);

  if (families.v6 && !families.v4) {
    findings.push(
      errorAt(
        cluster.cidrPath,
        "cluster.cidr lists only an IPv6 range: IPv6-only clusters are not built yet; netplan-k runs IPv4 and dual-stack clusters",
        "add an IPv4 range to make the cluster dual-stack, such as cidr: [10.244.0.0/16, fd00:10:244::/56]",
      ),
    );
    return findings;
  }

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

  for (const host of hosts) {
    const name = host.name?.value ?? formatPath(host.path);
    const written = host.addressFamilies;
    if (families.v6 && written !== undefined && host.addressPath !== undefined) {
      for (const [lacking, present] of [
        ["IPv4", written.v4],
        ["IPv6", written.v6],
      ] as const) {
        if (present) continue;
        findings.push(
          errorAt(
            host.addressPath,
            `${formatPath(host.addressPath)} (${name}) has no ${lacking} address, but the cluster is dual-stack: every host needs an underlay address of each family`,
            "write both, such as address: [192.0.2.11/24, 2001:db8::11/64]",
          ),
        );
      }
    }
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
