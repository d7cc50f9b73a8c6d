import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { attachStyles, modes } from "../../src/modes/registry.js";

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/topology.schema.json", import.meta.url), "utf8"),
) as { $defs: { Mode: { enum: string[] }; Attach: { enum: string[] } } };

describe("registry", () => {
  test("has exactly the schema's modes", () => {
    expect(Object.keys(modes).sort()).toEqual([...schema.$defs.Mode.enum].sort());
  });

  test("has exactly the schema's attach styles", () => {
    expect(Object.keys(attachStyles).sort()).toEqual([...schema.$defs.Attach.enum].sort());
  });
});
