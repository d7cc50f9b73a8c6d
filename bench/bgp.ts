/**
 * `npm run bench:bgp [-- --sizes 10,30]`: bgp convergence, full mesh against reflectors
 * (bench/README.md). Run as root; the npm script holds /tmp/nk-lab.lock.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runBgpBench } from "./lib/bgp-bench.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10,30" },
    prefix: { type: "string", default: "yb" },
    "timeout-s": { type: "string", default: "120" },
  },
});

const result = await runBgpBench({
  sizes: values.sizes.split(",").map(Number),
  labPrefix: values.prefix,
  cli: fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)),
  resultsDir: fileURLToPath(new URL("./results/", import.meta.url)),
  timeoutMs: Number(values["timeout-s"]) * 1000,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(result.report);
