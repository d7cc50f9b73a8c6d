import type { Service } from "../../src/model/index.js";
import type { Change } from "../../src/planner/plan.js";

/** Hand-built changes for the applier's unit tests (kernel-layout.md values). */

export { ALIAS, link, route, VETH } from "../planner/states.js";

export const bird: Service = { name: "bird", running: true, configPath: "/etc/bird/bird.conf" };

/** A change with a placeholder key and reason: the applier reads neither. */
export const change = (fields: Omit<Change, "key" | "reason" | "disruptive">): Change =>
  ({ key: "k", reason: "r", disruptive: false, ...fields }) as Change;
