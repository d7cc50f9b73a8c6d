import { describe, expect, it } from "vitest";
import type { Link, Route } from "../../src/model/index.js";
import {
  formatFieldChanges,
  linkFieldChanges,
  routeFieldChanges,
} from "../../src/planner/field-changes.js";

const route: Route = {
  dst: "10.244.2.0/24",
  table: 254,
  type: "unicast",
  metric: 0,
  via: "192.0.2.12",
  dev: "eth0",
  onlink: false,
  scope: "global",
  protocol: 77,
};

const link: Link = { name: "cni0", kind: "bridge", mtu: 1450, up: true, alias: "netplan-k:t" };

describe("field changes", () => {
  it("are data the planner decides on: each field with both values", () => {
    expect(routeFieldChanges(route, route)).toEqual([]);
    expect(routeFieldChanges(route, { ...route, via: "192.0.2.13", protocol: 4 })).toEqual([
      { field: "via", values: { observed: "192.0.2.13", desired: "192.0.2.12" } },
      { field: "proto", values: { observed: "static", desired: "77" } },
    ]);
  });

  it("are shown as the plan's reason, in field order", () => {
    const observed: Link = { ...link, mtu: 1500, up: false, alias: undefined };
    expect(formatFieldChanges(linkFieldChanges(link, observed))).toBe(
      "mtu 1500 → 1450, state down → up, alias (none) → netplan-k:t",
    );
    expect(formatFieldChanges([{ field: "content" }])).toBe("content differs");
  });
});
