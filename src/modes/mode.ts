import type { HostChecks, HostWaits, Route } from "../model/index.js";
import type { ModeFacts } from "../topology/mode-facts.js";
import type { HostContribution } from "./contribution.js";
import type { HostContext } from "./host-context.js";

/**
 * How packets cross hosts (MODES.md): one implementation per file, listed in registry.ts.
 * Its `ModeFacts` (the encapsulation overhead, the checks of its settings) are what the
 * loader judges a file with; compile subtracts the overhead from the underlay MTU.
 */
export interface Mode extends ModeFacts {
  /** The host's root-namespace objects, files and services that this mode needs. */
  compileHost(context: HostContext): HostContribution;
  /**
   * Routes a routing daemon installs on the host for this mode (bgp: every peer's block,
   * learned through BIRD). netplan-k writes none of them, but cluster traffic follows them,
   * so a foreign route that would win over one is a conflict (foreign-conflicts.ts).
   * Absent: the mode routes only through what compileHost writes.
   */
  learnedRoutes?(context: HostContext): Route[];
  /**
   * What apply waits for once the host is built, before any host removes an old path (bgp:
   * every session Established and every learned route in the kernel). Absent: nothing.
   */
  waitFor?(context: HostContext): HostWaits;
  /** The checks verify runs on the host besides reachability (bgp: its sessions). Absent: none. */
  checks?(context: HostContext): HostChecks;
}

/**
 * How workloads hang off their host: the workload namespaces, the veth pairs, and whatever
 * the host needs to reach them (a bridge, or per-workload routes and proxy ARP).
 */
export interface AttachStyleCompiler {
  compileHost(context: HostContext): HostContribution;
}
