import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import {
  generatedValidatorPath,
  generateTopologyValidator,
} from "../../scripts/generate-validators.mjs";

test("src/topology/topology-validator.generated.ts matches the schema", async () => {
  const committed = await readFile(generatedValidatorPath, "utf8");
  const regenerated = await generateTopologyValidator();
  expect(committed === regenerated, "the generated validator is stale: run npm run generate").toBe(
    true,
  );
});
