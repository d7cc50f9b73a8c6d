// Prints vitest's result as one plain closing line, "Tests: N passed, N failed, N skipped",
// which CI logs are read for. Run by `npm test` after vitest, whatever vitest's exit status.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "test-results.json";
try {
  const results = JSON.parse(readFileSync(file, "utf8"));
  console.log(
    `Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`,
  );
} catch (error) {
  console.log(`Tests: no results in ${file} (${error.message})`);
}
