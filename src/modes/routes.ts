import { MAIN_TABLE, ROUTE_PROTOCOL, type Route } from "../model/index.js";

/**
 * Constructors for the three route shapes the layout uses. All live in the main table (254)
 * and carry ROUTE_PROTOCOL, the ownership marker of routes.
 */

/** `<dst> via <via> dev <dev> [onlink] proto 77`. */
export const gatewayRoute = (dst: string, via: string, dev: string, onlink: boolean): Route => ({
  dst,
  table: MAIN_TABLE,
  type: "unicast",
  metric: 0,
  via,
  dev,
  onlink,
  scope: "global",
  protocol: ROUTE_PROTOCOL,
});

/** `<dst> dev <dev> scope link proto 77`: the next hop is the device itself. */
export const deviceRoute = (dst: string, dev: string): Route => ({
  dst,
  table: MAIN_TABLE,
  type: "unicast",
  metric: 0,
  dev,
  onlink: false,
  scope: "link",
  protocol: ROUTE_PROTOCOL,
});

/** `blackhole <dst> proto 77 metric <metric>`. */
export const blackholeRoute = (dst: string, metric: number): Route => ({
  dst,
  table: MAIN_TABLE,
  type: "blackhole",
  metric,
  onlink: false,
  scope: "global",
  protocol: ROUTE_PROTOCOL,
});
