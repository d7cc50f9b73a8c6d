import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { topologySchema, topologySchemaPath } from "../../src/topology/schema.js";

const defs = topologySchema["$defs"] as Record<string, { enum?: unknown[] }>;

test("the schema is read from schemas/topology.schema.json", () => {
  expect(topologySchemaPath.endsWith("schemas/topology.schema.json")).toBe(true);
  expect(topologySchema).toEqual(JSON.parse(readFileSync(topologySchemaPath, "utf8")));
});

test("the mode enum is exactly the modes the compiler implements", () => {
  expect(defs["Mode"]?.enum).toEqual(["host-gw", "vxlan", "ipip", "bgp"]);
});

test("the attach enum is exactly the attach styles", () => {
  expect(defs["Attach"]?.enum).toEqual(["bridge", "routed"]);
});
