import type { RouteScope, RouteType } from "./route.js";

/** Every RouteType and RouteScope, for checking what a listing or a snapshot holds. */
export const ROUTE_TYPES: readonly RouteType[] = [
  "unicast",
  "blackhole",
  "unreachable",
  "prohibit",
  "local",
  "broadcast",
  "multicast",
  "anycast",
  "throw",
];

export const ROUTE_SCOPES: readonly RouteScope[] = ["global", "link", "host", "site", "nowhere"];
