import type { HostContribution } from "./contribution.js";
import type { HostContext } from "./host-context.js";

/** How packets cross hosts (MODES.md): one implementation per file, listed in registry.ts. */
export interface Mode {
  /** Bytes of encapsulation per packet, subtracted from the underlay MTU (vxlan 50, ipip 20). */
  readonly overhead: number;
  /** The host's root-namespace objects, files and services that this mode needs. */
  compileHost(context: HostContext): HostContribution;
}

/**
 * How workloads hang off their host: the workload namespaces, the veth pairs, and whatever
 * the host needs to reach them (a bridge, or per-workload routes and proxy ARP).
 */
export interface AttachStyleCompiler {
  compileHost(context: HostContext): HostContribution;
}
