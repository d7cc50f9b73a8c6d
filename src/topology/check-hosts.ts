import { cidrText, sizeOf } from "./block-math.js";
import type { DraftHost } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { findDuplicates } from "./find-duplicates.js";
import { formatPath } from "./path.js";

/** Names and addresses that must be unique, and underlay addresses that must be host addresses. */
export function checkHosts(hosts: readonly DraftHost[]): Finding[] {
  const findings: Finding[] = [];
  const hostName = (h: DraftHost): string => h.name?.value ?? formatPath(h.path);

  findings.push(
    ...findDuplicates(
      hosts.flatMap((h) => (h.name ? [h.name] : [])),
      (f) => f.value,
      (f, first) =>
        errorAt(
          f.path,
          `${formatPath(f.path)} ${f.value} is already the name of ${formatPath(first.path.slice(0, 2))}`,
          "host names must be unique",
        ),
    ),
  );

  const underlays = hosts.flatMap((h) => (h.address ? [{ host: h, field: h.address }] : []));
  findings.push(
    ...findDuplicates(
      underlays,
      (u) => u.field.value.addressMinusSuffix,
      (u, first) =>
        errorAt(
          u.field.path,
          `${formatPath(u.field.path)} ${u.field.value.address}: ${u.field.value.addressMinusSuffix} is already the address of ${hostName(first.host)}`,
          "every host needs its own underlay address",
        ),
    ),
  );
  for (const { field } of underlays) {
    const address = field.value;
    // /31 and /32 subnets have no network or broadcast address to avoid (RFC 3021).
    if (sizeOf(address) < 4n) continue;
    const subnet = cidrText(address);
    const role =
      address.bigInt() === address.startAddress().bigInt()
        ? "network"
        : address.bigInt() === address.endAddress().bigInt()
          ? "broadcast"
          : undefined;
    if (role !== undefined) {
      findings.push(
        errorAt(
          field.path,
          `${formatPath(field.path)} ${address.address} is the ${role} address of ${subnet}, not a host's address`,
          "write the host's own address with its prefix length, such as 192.168.64.5/24",
        ),
      );
    }
  }

  for (const host of hosts) {
    findings.push(
      ...findDuplicates(
        host.workloads.flatMap((w) => (w.name ? [w.name] : [])),
        (f) => f.value,
        (f) =>
          errorAt(
            f.path,
            `${formatPath(f.path)} ${f.value} is already a workload on ${hostName(host)}`,
            "workload names are namespace names: unique on each host",
          ),
      ),
    );
  }

  const ips = hosts.flatMap((host) =>
    host.workloads.flatMap((w) =>
      typeof w.ip === "string"
        ? []
        : [{ host, name: w.name?.value ?? formatPath(w.path), field: w.ip }],
    ),
  );
  findings.push(
    ...findDuplicates(
      ips,
      (i) => i.field.value.address,
      (i, first) =>
        errorAt(
          i.field.path,
          `${formatPath(i.field.path)} ${i.field.value.address} is already the address of ${first.name} on ${hostName(first.host)}`,
          "every workload in the cluster needs its own address",
        ),
    ),
  );
  return findings;
}
