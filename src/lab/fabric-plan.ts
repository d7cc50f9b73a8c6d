import type { FabricAddress, FabricLink, FabricRoute, FabricSysctl } from "./fabric-state.js";

/**
 * What to change in the lab's fabric, as data: planFabric makes it, applyFabricActions carries
 * it out, tests read it.
 */
export interface FabricPlan {
  /**
   * Namespaces the lab needs that exist without its marker: someone else's. Nothing may change
   * while any is listed.
   */
  readonly refusals: readonly string[];
  /**
   * One step per namespace the lab builds, in build order (the fabric first, then routers, the
   * controller, hosts); a step whose actions are empty has nothing to change.
   */
  readonly steps: readonly FabricStep[];
  /** Namespaces the lab made that it no longer wants, to remove after the steps. */
  readonly removals: readonly string[];
}

/**
 * The changes that build one namespace's part of the fabric, in order: the namespace, then links
 * (a veth appears with both ends, so a node's step also sets up its port in the fabric namespace),
 * addresses, routes, sysctls.
 */
export interface FabricStep {
  readonly namespace: string;
  readonly actions: readonly FabricAction[];
}

/**
 * One change. `add-link` makes the interface bare (and a veth with its peer); `set-link` then
 * gives it every field the desired link manages (master, MTU, alias, up).
 */
export type FabricAction =
  | { readonly kind: "add-namespace"; readonly namespace: string }
  | { readonly kind: "add-link"; readonly link: FabricLink }
  | { readonly kind: "set-link"; readonly link: FabricLink }
  | { readonly kind: "delete-link"; readonly namespace: string; readonly name: string }
  | { readonly kind: "add-address"; readonly address: FabricAddress }
  | { readonly kind: "delete-address"; readonly address: FabricAddress }
  | { readonly kind: "replace-route"; readonly route: FabricRoute }
  | { readonly kind: "delete-route"; readonly route: FabricRoute }
  | { readonly kind: "set-sysctl"; readonly sysctl: FabricSysctl };

/** The actions of the step that builds `namespace`; none when the plan has no such step. */
export const actionsFor = (plan: FabricPlan, namespace: string): readonly FabricAction[] =>
  plan.steps.find((step) => step.namespace === namespace)?.actions ?? [];
