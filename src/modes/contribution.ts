import type {
  FdbEntry,
  Link,
  ManagedFile,
  NamespaceState,
  Neighbour,
  Route,
  Service,
  Sysctl,
  Address,
} from "../model/index.js";

/** The root-namespace objects a contribution adds; any field left out adds nothing. */
export interface NetContribution {
  readonly links?: readonly Link[];
  readonly addresses?: readonly Address[];
  readonly routes?: readonly Route[];
  readonly neighbours?: readonly Neighbour[];
  readonly fdb?: readonly FdbEntry[];
}

/**
 * What one mode or attach style adds to one host's desired state. Contributions are merged
 * and sorted by compileTopology, so a contributor emits its objects in any order.
 */
export interface HostContribution {
  readonly root?: NetContribution;
  readonly namespaces?: readonly NamespaceState[];
  readonly sysctls?: readonly Sysctl[];
  readonly files?: readonly ManagedFile[];
  readonly services?: readonly Service[];
}
