import type {
  Address,
  FdbEntry,
  Link,
  ManagedFile,
  Neighbour,
  PathMtuException,
  Route,
  Service,
  Sysctl,
} from "../model/index.js";

/**
 * A plan is a value: the planner produces it, the renderers and the applier consume it, and
 * `plan --out` saves it as JSON (PLAN_FORMAT_VERSION). Nothing in here is decided later.
 */
export const PLAN_FORMAT_VERSION = 1;

/**
 * The closed set of actions. Each prints as its symbol:
 * create "+", update "~" (changed in place), delete "-", replace "±" (deleted and created
 * again because the kernel cannot change it in place; disruptive).
 */
export type Action = "create" | "update" | "delete" | "replace";

export const ACTION_SYMBOLS: Readonly<Record<Action, string>> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "±",
};

/** A workload namespace itself (its lo carries the ownership alias). */
export interface NamespaceObject {
  readonly name: string;
}

/** Every kind of object a change can be about, with its model type. */
export interface PlanObjects {
  readonly namespace: NamespaceObject;
  readonly link: Link;
  readonly address: Address;
  readonly route: Route;
  readonly neighbour: Neighbour;
  readonly fdb: FdbEntry;
  readonly sysctl: Sysctl;
  readonly file: ManagedFile;
  readonly service: Service;
  /** A path-MTU exception in the route cache: only ever flushed (planner/stale-path-mtu.ts). */
  readonly pathMtu: PathMtuException;
}

export type ObjectKind = keyof PlanObjects;

/** One change to one object. `before` is absent for create, `after` for delete. */
export type Change = {
  [K in ObjectKind]: {
    readonly kind: K;
    readonly action: Action;
    /**
     * Where the object lives: undefined for the host's own namespace, else the workload
     * namespace's name. Namespaces, sysctls, files and services are always host-level.
     */
    readonly netns?: string;
    /** The object's kernel identity (linkKey, routeKey, ...). */
    readonly key: string;
    readonly before?: PlanObjects[K];
    readonly after?: PlanObjects[K];
    /** For humans, never for decisions: "route 10.244.2.0/24: missing". */
    readonly reason: string;
    /** Traffic through this object is interrupted while it changes (recreate, delete of a path). */
    readonly disruptive: boolean;
    /**
     * Set on an update of an object that this same plan creates without a create of its own
     * (a new namespace's lo, the namespace end of a new veth pair): the label of that
     * creation ("namespace red"). The applier runs it as the update it is (the kernel makes
     * the object down, without an alias); the plan shows and counts it as a create
     * (shownAction), since nothing of it exists before the apply.
     */
    readonly createdWith?: string;
  };
}[ObjectKind];

/**
 * The action a plan shows and counts for a change: "create" for an update of an object the
 * plan itself creates (Change.createdWith), the change's own action otherwise.
 */
export const shownAction = (change: Change): Action =>
  change.createdWith === undefined ? change.action : "create";

/**
 * What a conflict can be about: any object a change can be about, or a policy routing rule
 * (`ip rule`) that takes the cluster's packets; netplan-k never writes rules.
 */
export type ConflictKind = ObjectKind | "rule";

/** A foreign object in the way of a desired one. Any conflict fails the plan. */
export interface Conflict {
  readonly kind: ConflictKind;
  readonly netns?: string;
  readonly key: string;
  /** What is in the way and what to do: "route 10.244.2.0/24 exists with proto static ...". */
  readonly reason: string;
}

export interface HostPlan {
  readonly host: string;
  /** In the order they must be applied. */
  readonly changes: readonly Change[];
  readonly conflicts: readonly Conflict[];
  /**
   * Problems that make the host impossible to converge (e.g. no ipip driver), each starting
   * with "<host>: ", so that they read alone (the applier reports them as they are).
   */
  readonly errors: readonly string[];
  /** Fingerprint of the observed state the plan was made against (stale-plan detection). */
  readonly observedFingerprint: string;
  /**
   * A confirm-timeout revert that fired on the host since the run that armed it, as the next
   * apply reports it (describeRevertFired, from the observation's `armedRevert`): plan says it
   * too, and leaves the record on the host for that apply or destroy to clear.
   */
  readonly firedRevert?: string;
  /**
   * What the host holds wrong that apply cannot repair, one sentence each (a BGP session that
   * is not Established: bgp-session-warnings.ts), shown under the host even when nothing
   * changes; absent when there is none. For humans, never for decisions.
   */
  readonly warnings?: readonly string[];
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly topology: string;
  /** What the plan was made against: live hosts, a snapshot file, or empty hosts. */
  readonly against: "hosts" | "snapshot" | "empty";
  /**
   * The topology file the plan was made from, so that `apply plan.json` can reach the hosts
   * and refuse when the file changed since. Set by the CLI; absent in plans made in memory.
   */
  readonly source?: PlanSource;
  readonly hosts: readonly HostPlan[];
}

export interface PlanSource {
  /** Path as given to `netplan-k plan`. */
  readonly file: string;
  /** sha256 (hex) of the file's bytes. */
  readonly sha256: string;
}

/** A plan can be applied only when no host has a conflict or an error. */
export const isPlanApplicable = (plan: Pick<Plan, "hosts">): boolean =>
  plan.hosts.every((h) => h.conflicts.length === 0 && h.errors.length === 0);

export const planHasChanges = (plan: Plan): boolean => plan.hosts.some((h) => h.changes.length > 0);
