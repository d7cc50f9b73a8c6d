import { cidrText } from "./block-math.js";
import { findDuplicates } from "./find-duplicates.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

/** Lab routers: unique names, and legs on the hosts' segments. */
export function checkLab({ hosts, routers }: DraftTopology): Finding[] {
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
