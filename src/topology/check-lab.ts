import { cidrText } from "./block-math.js";
import { findDuplicates } from "./find-duplicates.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

/**
 * Lab routers: unique names, legs on the hosts' segments, and no dual-stack cluster across
 * them (their legs are IPv4 only); guests: hosts, with sshd.
 */
export function checkLab(draft: DraftTopology): Finding[] {
  return [...checkRouters(draft), ...checkRoutersCarryIpv4Only(draft), ...checkGuests(draft)];
}

/**
 * A lab segment is a host's IPv4 subnet, and its IPv6 address sits on the same segment
 * (src/lab/lab-layout.ts); lab routers have IPv4 legs only, so no IPv6 packet crosses them.
 * A dual-stack cluster whose hosts are on two segments would build and then lose every IPv6
 * packet between them: refused at the first router, naming a pair of hosts it leaves apart.
 */
function checkRoutersCarryIpv4Only({ cluster, hosts, routers }: DraftTopology): Finding[] {
  const [router] = routers;
  if (router === undefined || cluster.cidrFamilies?.v6 !== true) return [];
  const placed = hosts.flatMap((h) =>
    h.address === undefined
      ? []
      : [
          {
            name: h.name?.value ?? formatPath(h.path),
            segment: cidrText(h.address.value),
            v6: h.addressV6?.value.address ?? "no IPv6 address",
          },
        ],
  );
  const [first] = placed;
  const apart = placed.find((p) => p.segment !== first?.segment);
  if (first === undefined || apart === undefined) return [];
  return [
    errorAt(
      router.path,
      `${formatPath(router.path)}${router.name ? ` (${router.name.value})` : ""}: lab routers carry IPv4 only (IPv6 router legs are not built), so in this dual-stack cluster ${first.name} (${first.v6}) and ${apart.name} (${apart.v6}), on different lab segments, cannot reach each other over IPv6`,
      "build the dual-stack lab on one segment (every host's IPv4 address in one subnet), or remove the IPv6 range from cluster.cidr to run it across segments on IPv4",
    ),
  ];
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
