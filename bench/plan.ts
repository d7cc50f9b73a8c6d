/**
 * `npm run bench:plan [-- --sizes 100,1000 --modes vxlan --render-size 500]`: offline planning
 * at scale (bench/README.md). Needs `npm run build` first (the npm script does it).
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { BenchMode } from "./lib/generate-topology.js";
import { runPlanBench } from "./lib/plan-bench.js";

// Stopped by a signal: exit, so that the running child is killed (runMeasuredNode).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,2000,5000" },
    modes: { type: "string", default: "host-gw,vxlan,ipip,bgp" },
    "render-size": { type: "string", default: "1000" },
    "timeout-min": { type: "string", default: "20" },
  },
});

const result = await runPlanBench({
  sizes: values.sizes.split(",").map(Number),
  modes: values.modes.split(",") as BenchMode[],
  renderSize: Number(values["render-size"]),
  cli: fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)),
  resultsDir: fileURLToPath(new URL("./results/", import.meta.url)),
  timeoutMs: Number(values["timeout-min"]) * 60_000,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(result.report);
