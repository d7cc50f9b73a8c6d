// Preloaded into a measured child (node --import): on exit, writes the child's own resource
// usage (process.resourceUsage: maxRSS in KiB, user and system CPU in µs) as JSON to the file
// named by NK_BENCH_USAGE, so the parent reads the child's peak memory, not its own.
import { writeFileSync } from "node:fs";

const target = process.env["NK_BENCH_USAGE"];
if (target !== undefined) {
  process.on("exit", () => writeFileSync(target, JSON.stringify(process.resourceUsage())));
}
