import type { Link, Route, Service } from "../../src/model/index.js";
import { ownerAlias } from "../../src/model/index.js";
import type { Change } from "../../src/planner/plan.js";

/** Hand-built changes for the applier's unit tests (kernel-layout.md values). */

export const ALIAS = ownerAlias("demo");
export const VETH = "nk0123456789a";

export const link = (name: string, fields: Partial<Link> = {}): Link => ({
  name,
  kind: "veth",
  mtu: 1450,
  up: true,
  alias: ALIAS,
  ...fields,
});

export const route = (dst: string, fields: Partial<Route> = {}): Route => ({
  dst,
  table: 254,
  type: "unicast",
  metric: 0,
  onlink: false,
  scope: "global",
  protocol: 77,
  ...fields,
});

export const bird: Service = { name: "bird", running: true, configPath: "/etc/bird/bird.conf" };

/** A change with a placeholder key and reason: the applier reads neither. */
export const change = (fields: Omit<Change, "key" | "reason" | "disruptive">): Change =>
  ({ key: "k", reason: "r", disruptive: false, ...fields }) as Change;
