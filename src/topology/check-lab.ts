import { cidrText } from "./block-math.js";
import { findDuplicates } from "./find-duplicates.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

/** Lab routers: unique names, and legs on the hosts' segments; guests: hosts, with sshd. */
export function checkLab(draft: DraftTopology): Finding[] {
  return [...checkRouters(draft), ...checkGuests(draft)];
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
