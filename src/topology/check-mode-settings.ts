import { findClosestName } from "./closest-name.js";
import { findDuplicates } from "./find-duplicates.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import type { ModeCatalog } from "./mode-facts.js";
import { formatPath } from "./path.js";

/** The smallest datagram every IPv4 host must accept (RFC 791). */
const MIN_OVERLAY_MTU = 576;

/**
 * Settings of the chosen mode that are valid alone but not together: the MTU left after the
 * mode's overhead, sections of other modes, the reflectors, and whatever the mode itself
 * checks (`catalog`: the facts of every mode, from the loader's caller).
 */
export function checkModeSettings(draft: DraftTopology, catalog: ModeCatalog): Finding[] {
  const { cluster, hosts } = draft;
  const findings: Finding[] = [];
  const mode = cluster.mode?.value;
  const facts = mode === undefined ? undefined : catalog[mode];

  findings.push(...(facts?.checkSettings?.(draft) ?? []));

  if (facts !== undefined && cluster.mtu !== undefined && cluster.mtuPath !== undefined) {
    const { overhead } = facts;
    const overlay = cluster.mtu - overhead;
    if (overlay < MIN_OVERLAY_MTU) {
      const cause =
        overhead === 0
          ? ""
          : ` leaves ${overlay} after ${mode}'s ${overhead} bytes of encapsulation and`;
      findings.push(
        errorAt(
          cluster.mtuPath,
          `cluster.mtu ${cluster.mtu}${cause} is too small: workloads need an MTU of at least ${MIN_OVERLAY_MTU}`,
          `raise cluster.mtu to at least ${MIN_OVERLAY_MTU + overhead}`,
        ),
      );
    }
  }

  if (mode !== undefined) {
    for (const section of cluster.sections) {
      if (section.value === mode) continue;
      findings.push(
        warningAt(
          section.path,
          "key",
          `cluster.${section.value} has no effect with mode ${mode}`,
          `remove it, or set cluster.mode: ${section.value}`,
        ),
      );
    }
  }

  findings.push(
    ...findDuplicates(
      cluster.reflectors,
      (r) => r.value,
      (r) => errorAt(r.path, `${formatPath(r.path)} ${r.value} is listed twice`),
    ),
  );
  // A reflector may name a host whose own name is broken; judge only against a complete list.
  const names = hosts.map((h) => h.name?.value);
  if (names.every((n): n is string => n !== undefined)) {
    for (const reflector of cluster.reflectors) {
      if (names.includes(reflector.value)) continue;
      // A host already listed as a reflector is never the one meant.
      const listed = cluster.reflectors.map((r) => r.value);
      const unlisted = names.filter((n) => !listed.includes(n));
      const closest = findClosestName(reflector.value, unlisted);
      findings.push(
        errorAt(
          reflector.path,
          `${formatPath(reflector.path)} ${reflector.value} is not the name of any host`,
          closest !== undefined
            ? `did you mean ${closest}?`
            : `hosts not yet listed: ${unlisted.join(", ")}`,
        ),
      );
    }
  }
  return findings;
}
