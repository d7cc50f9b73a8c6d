import { cidrText } from "./block-math.js";
import { findDuplicates } from "./find-duplicates.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

/**
 * Lab routers: unique names, legs on the hosts' segments, and in a dual-stack cluster IPv6
 * legs beside the IPv4 ones; guests: hosts, with sshd; no sshd in an IPv6-only lab.
 */
export function checkLab(draft: DraftTopology): Finding[] {
  return [
    ...checkRouters(draft),
    ...checkRouterIpv6Legs(draft),
    ...checkGuests(draft),
    ...checkIpv6OnlySshd(draft),
  ];
}

/**
 * Why an IPv6-only lab has no sshd, and what to write instead: said by validate at `lab.sshd`
 * (checkIpv6OnlySshd) and by layoutLab (src/lab/lab-layout.ts) to a caller that skipped it.
 */
export const IPV6_ONLY_SSHD_REFUSAL = {
  message:
    "lab.sshd is not built for an IPv6-only cluster: the lab's sshd and ssh_config take IPv4 addresses",
  hint: "set lab.sshd: false: the lab enters its hosts with nsenter (netplan-k lab status prints how)",
} as const;

/**
 * A lab's sshd, ssh_config and known_hosts take the hosts' IPv4 addresses (src/lab/sshd.ts),
 * so an IPv6-only lab is built without them: said at `lab.sshd`, before `lab up` claims the
 * lab's prefix (it used to refuse only there, leaving the prefix held by the refused file).
 */
function checkIpv6OnlySshd({ cluster, labSshd }: DraftTopology): Finding[] {
  const ipv6Only = cluster.cidrFamilies?.v6 === true && cluster.cidrFamilies.v4 !== true;
  if (!ipv6Only || labSshd?.value !== true) return [];
  return [errorAt(labSshd.path, IPV6_ONLY_SSHD_REFUSAL.message, IPV6_ONLY_SSHD_REFUSAL.hint)];
}

/**
 * A lab segment is a host's IPv4 subnet, and the host's IPv6 address sits on the same segment
 * (src/lab/lab-layout.ts). In a dual-stack cluster a router carries IPv6 between segments
 * only where it has an IPv6 leg on the IPv6 subnet of each segment's hosts, on the interface
 * of its IPv4 leg there: an IPv4 leg without its IPv6 one would build a lab that loses every
 * IPv6 packet between the segments, and an IPv6 leg where the router has no IPv4 leg has no
 * interface to sit on.
 */
function checkRouterIpv6Legs({ cluster, hosts, routers }: DraftTopology): Finding[] {
  if (cluster.cidrFamilies?.v6 !== true) return [];
  // Each segment's hosts' IPv6 subnets, by IPv4 subnet.
  const v6Subnets = new Map<string, Set<string>>();
  for (const host of hosts) {
    if (host.address === undefined || host.addressV6 === undefined) continue;
    const segment = cidrText(host.address.value);
    v6Subnets.set(
      segment,
      (v6Subnets.get(segment) ?? new Set()).add(cidrText(host.addressV6.value)),
    );
  }
  const findings: Finding[] = [];
  for (const router of routers) {
    const name = router.name?.value ?? formatPath(router.path);
    const legsV6 = new Set(router.legsV6.map((leg) => cidrText(leg.value)));
    const segmentsV6 = new Set<string>();
    for (const leg of router.legs) {
      for (const subnet of v6Subnets.get(cidrText(leg.value)) ?? []) {
        segmentsV6.add(subnet);
        if (legsV6.has(subnet)) continue;
        findings.push(
          errorAt(
            leg.path,
            `${formatPath(leg.path)} ${leg.value.address}: the hosts of segment ${cidrText(leg.value)} are dual-stack (IPv6 subnet ${subnet}), but router ${name} has no IPv6 leg there, so no IPv6 packet crosses it`,
            `add to router ${name}'s legs an address of ${subnet} with its prefix length, beside ${leg.value.address}`,
          ),
        );
      }
    }
    for (const leg of router.legsV6) {
      const subnet = cidrText(leg.value);
      if (segmentsV6.has(subnet) || ![...v6Subnets.values()].some((s) => s.has(subnet))) continue;
      findings.push(
        errorAt(
          leg.path,
          `${formatPath(leg.path)} ${leg.value.address} is on the IPv6 subnet of hosts of a segment where router ${name} has no IPv4 leg: an IPv6 leg sits on the interface of the router's IPv4 leg on that segment`,
          "add the router's IPv4 leg on that segment, or remove this leg",
        ),
      );
    }
  }
  return findings;
}

function checkRouters({ hosts, routers }: DraftTopology): Finding[] {
  const findings = findDuplicates(
    routers.flatMap((r) => (r.name ? [r.name] : [])),
    (f) => f.value,
    (f) =>
      errorAt(
        f.path,
        `${formatPath(f.path)} ${f.value} is already the name of another lab router`,
        "router names must be unique",
      ),
  );
  // Compared only against a complete list of subnets: a broken address must not make a leg look stray.
  if (hosts.some((h) => h.address === undefined)) return findings;
  const subnets = new Set(hosts.map((h) => (h.address ? cidrText(h.address.value) : "")));
  const subnetsV6 = new Set(
    hosts.flatMap((h) => (h.addressV6 ? [cidrText(h.addressV6.value)] : [])),
  );
  for (const router of routers) {
    for (const leg of router.legs) {
      const subnet = cidrText(leg.value);
      if (subnets.has(subnet)) continue;
      findings.push(
        warningAt(
          leg.path,
          "value",
          `${formatPath(leg.path)} ${leg.value.address} is on subnet ${subnet}, where no host is: this leg joins nothing`,
          `host subnets: ${[...subnets].join(", ")}`,
        ),
      );
    }
    for (const leg of router.legsV6) {
      const subnet = cidrText(leg.value);
      if (subnetsV6.has(subnet)) continue;
      findings.push(
        warningAt(
          leg.path,
          "value",
          `${formatPath(leg.path)} ${leg.value.address} is on IPv6 subnet ${subnet}, where no host is: this leg joins nothing`,
          subnetsV6.size === 0
            ? "no host has an IPv6 address: IPv6 legs are for dual-stack labs"
            : `host IPv6 subnets: ${[...subnetsV6].join(", ")}`,
        ),
      );
    }
  }
  return findings;
}

/**
 * A guest is a host built as a QEMU guest: the name must be a host's, and the lab must run sshd,
 * since SSH is the only way into a guest (there is no namespace to enter).
 */
function checkGuests({ hosts, guests, labSshd }: DraftTopology): Finding[] {
  const names = hosts.flatMap((h) => (h.name ? [h.name.value] : []));
  // Compared only against a complete list of names: a broken host must not make a guest look stray.
  const unknown =
    names.length < hosts.length
      ? []
      : guests
          .filter((guest) => !names.includes(guest.value))
          .map((guest) =>
            errorAt(
              guest.path,
              `${formatPath(guest.path)} ${guest.value} is not the name of a host`,
              `hosts: ${names.join(", ")}`,
            ),
          );
  const first = guests[0];
  const needsSshd =
    first !== undefined && labSshd?.value !== true
      ? [
          errorAt(
            labSshd?.path ?? first.path,
            `lab guests need lab.sshd: true: a QEMU guest is reached over SSH only`,
            "add `sshd: true` to the lab section",
          ),
        ]
      : [];
  return [...unknown, ...needsSshd];
}
