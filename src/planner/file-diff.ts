import { structuredPatch } from "diff";
import type { Change } from "./plan.js";

/** Lines of context around each changed line, as `diff -u` and git show them. */
const CONTEXT_LINES = 3;

/**
 * The unified diff of a file the plan changes in place (BIRD's configuration): hunk headers
 * (`@@ -60,3 +60,8 @@`) and their lines, each starting with " ", "+" or "-", without the
 * `---`/`+++` header (the change line above names the file). Empty for every other change:
 * a created file is summarised by its line count, a deleted one goes whole.
 */
export function diffFileChange(change: Change): string[] {
  if (change.kind !== "file" || change.action !== "update") return [];
  const before = change.before?.content ?? "";
  const after = change.after?.content ?? "";
  const patch = structuredPatch(change.key, change.key, before, after, undefined, undefined, {
    context: CONTEXT_LINES,
  });
  return patch.hunks.flatMap((hunk) => [
    `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    ...hunk.lines,
  ]);
}
