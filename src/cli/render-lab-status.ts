import type { LabStatus } from "../lab/index.js";

/**
 * What of the lab exists, one line per namespace, then the way into its hosts: the ssh
 * command when some host's sshd answers, otherwise (a lab without sshd) per host the nsenter
 * line that enters its network namespace and its private mount namespace, as the netns
 * transport does (`ip netns exec` alone would show this machine's /run/netns, not the host's
 * workloads). The sshd of a missing host is not worth a word; a lab that is not ready says how
 * to build it.
 */
export function renderLabStatus(status: LabStatus, file: string): string {
  const mark = (ok: boolean): string => (ok ? "up" : "missing");
  const lines = [
    `lab ${status.prefix}: ${status.ready ? "ready" : "not ready"}`,
    `  fabric   ${status.fabric.namespace.padEnd(24)} ${mark(status.fabric.exists)}`,
    ...status.routers.map((r) => `  router   ${r.namespace.padEnd(24)} ${mark(r.exists)}`),
    ...status.hosts.map(
      (h) =>
        `  host     ${h.namespace.padEnd(24)} ${mark(h.exists && h.anchorPid !== undefined && h.published)}` +
        (h.sshd === "off" || !h.exists ? "" : `  sshd ${h.sshd}`),
    ),
  ];
  if (status.sshConfig !== undefined && status.hosts.some((h) => h.sshd === "answering")) {
    lines.push(`  ssh -F ${status.sshConfig} <host>   reaches a lab host`);
  } else {
    const enterable = status.hosts.filter((h) => h.kind === "namespace" && h.exists && h.published);
    if (enterable.length > 0) lines.push("  enter a host (as root; then run ip, ping, …):");
    for (const host of enterable) {
      lines.push(
        `    ${host.name}: nsenter --net=/run/netns/${host.namespace} ` +
          `--mount=${status.mntnsDir}/${host.namespace} -- bash`,
      );
    }
  }
  if (!status.ready) lines.push(`  build or repair it: netplan-k lab up ${file}`);
  return lines.join("\n");
}
