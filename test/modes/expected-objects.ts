import type { Route } from "../../src/model/index.js";

/** Routes as the layout writes them, spelled out field by field for exact comparisons. */

export const expectedGatewayRoute = (
  dst: string,
  via: string,
  dev: string,
  onlink: boolean,
): Route => ({
  dst,
  table: 254,
  type: "unicast",
  metric: 0,
  via,
  dev,
  onlink,
  scope: "global",
  protocol: 77,
});

export const expectedDeviceRoute = (dst: string, dev: string): Route => ({
  dst,
  table: 254,
  type: "unicast",
  metric: 0,
  dev,
  onlink: false,
  scope: "link",
  protocol: 77,
});
