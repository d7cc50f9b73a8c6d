import { findClosestName } from "./closest-name.js";
import { findDuplicates } from "./find-duplicates.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, warningAt, type Finding } from "./finding.js";
import { MODE_OVERHEAD, vtepName } from "./mode-facts.js";
import { formatPath } from "./path.js";

/** The kernel's limit on interface names (IFNAMSIZ 16, with the terminating NUL). */
const MAX_INTERFACE_NAME = 15;
/** The smallest datagram every IPv4 host must accept (RFC 791). */
const MIN_OVERLAY_MTU = 576;
/** Above this many hosts a full BGP mesh gets expensive (MODES.md). */
const MESH_LIMIT = 100;

/** Settings of the chosen mode that are valid alone but not together. */
export function checkModeSettings({ cluster, hosts }: DraftTopology): Finding[] {
  const findings: Finding[] = [];
  const mode = cluster.mode?.value;

  if (mode === "vxlan" && cluster.vni !== undefined) {
    const name = vtepName(cluster.vni.value);
    if (name.length > MAX_INTERFACE_NAME) {
      findings.push(
        errorAt(
          cluster.vni.path,
          `cluster.vxlan.vni ${cluster.vni.value} would name the VTEP ${name}, longer than the kernel's ${MAX_INTERFACE_NAME} characters for an interface name: the VNI can be at most 9999999`,
        ),
      );
    }
  }

  if (mode !== undefined && cluster.mtu !== undefined && cluster.mtuPath !== undefined) {
    const overhead = MODE_OVERHEAD[mode] ?? 0;
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

  if (mode === "bgp" && cluster.reflectors.length === 0 && hosts.length > MESH_LIMIT) {
    const sessions = (hosts.length * (hosts.length - 1)) / 2;
    findings.push(
      warningAt(
        cluster.mode?.path ?? ["cluster"],
        "value",
        `a full BGP mesh of ${hosts.length} hosts opens ${sessions} sessions`,
        "mark two or three hosts as cluster.bgp.reflectors: sessions then grow as hosts x reflectors",
      ),
    );
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
