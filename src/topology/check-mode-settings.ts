import { findClosestName } from "./closest-name.js";
import { findDuplicates } from "./find-duplicates.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import type { ModeCatalog } from "./mode-facts.js";
import { formatPath } from "./path.js";

/** The smallest datagram every IPv4 host must accept (RFC 791). */
const MIN_OVERLAY_MTU = 576;

/**
 * IPv6's minimum link MTU (RFC 8200). The kernel holds to it: on a link below it `ip -6 addr
 * add` fails (`RTNETLINK answers: Invalid argument`, measured on a veth at MTU 1200 here), and
 * lowering a link's MTU below it drops the link's IPv6 addresses.
 */
const MIN_OVERLAY_MTU_V6 = 1280;

/**
 * Settings of the chosen mode that are valid alone but not together: the MTU left after the
 * mode's overhead (at least 576 with IPv4, 1280 with IPv6, each family after its overhead), sections of other modes, the reflectors, and whatever the mode itself
 * checks (`catalog`: the facts of every mode, from the loader's caller).
 */
export function checkModeSettings(draft: DraftTopology, catalog: ModeCatalog): Finding[] {
  const { cluster, hosts } = draft;
  const findings: Finding[] = [];
  const mode = cluster.mode?.value;
  const facts = mode === undefined ? undefined : catalog[mode];

  findings.push(...(facts?.checkSettings?.(draft) ?? []));

  // A cluster with IPv4 (an IPv6-only one is held to IPv6's larger minimum alone, below).
  const ipv4 = cluster.cidrFamilies?.v4 !== false;
  let ipv4Refused = false;
  if (ipv4 && facts !== undefined && cluster.mtu !== undefined && cluster.mtuPath !== undefined) {
    const { overhead } = facts;
    const overlay = cluster.mtu - overhead;
    if (overlay < MIN_OVERLAY_MTU) {
      ipv4Refused = true;
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

  // A cluster with IPv6 (dual-stack or IPv6-only): the workloads' MTU must carry IPv6 at all.
  if (
    facts !== undefined &&
    cluster.cidrFamilies?.v6 === true &&
    cluster.mtu !== undefined &&
    cluster.mtuPath !== undefined
  ) {
    const overhead = facts.overheadV6 ?? facts.overhead;
    const overlay = cluster.mtu - overhead;
    // One message for one MTU: IPv4's when it already refuses it.
    if (!ipv4Refused && overlay < MIN_OVERLAY_MTU_V6) {
      const cause =
        overhead === 0
          ? ""
          : ` leaves ${overlay} after ${mode}'s ${overhead} bytes of IPv6 encapsulation and`;
      findings.push(
        errorAt(
          cluster.mtuPath,
          `cluster.mtu ${cluster.mtu}${cause} is too small for IPv6: its links need an MTU of at least ${MIN_OVERLAY_MTU_V6}, or the kernel refuses their IPv6 addresses`,
          `raise cluster.mtu to at least ${MIN_OVERLAY_MTU_V6 + overhead}`,
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
