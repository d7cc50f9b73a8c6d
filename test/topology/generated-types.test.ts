import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { generatedPath, generateTopologyTypes } from "../../scripts/generate-types.mjs";

test("src/topology/topology-file.generated.ts matches the schema", async () => {
  const committed = await readFile(generatedPath, "utf8");
  const regenerated = await generateTopologyTypes();
  expect(committed === regenerated, "the generated types are stale: run npm run generate").toBe(
    true,
  );
});
