/**
 * `npm run bench:apply [-- --sizes 10,30 --modes vxlan --others floor,naive,ansible]`: apply
 * over SSH on a lab, against the floor, a naive script and Ansible (bench/README.md). Run it
 * as root; the npm script takes /tmp/nk-lab.lock so that no other lab runs at the same time.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runApplyBench } from "./lib/apply-bench.js";
import type { BenchMode } from "./lib/generate-topology.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10,30,100" },
    modes: { type: "string", default: "vxlan,bgp" },
    others: { type: "string", default: "floor,naive,ansible" },
    prefix: { type: "string", default: "yb" },
  },
});
const others = values.others.split(",").filter(Boolean) as ("floor" | "naive" | "ansible")[];

// Ansible is Debian's ansible-core; installed here when missing, never in CI.
if (others.includes("ansible") && spawnSync("ansible-playbook", ["--version"]).status !== 0) {
  spawnSync("apt-get", ["install", "-y", "ansible-core"], { stdio: "inherit" });
}

const result = await runApplyBench({
  sizes: values.sizes.split(",").map(Number),
  modes: values.modes.split(",") as BenchMode[],
  labPrefix: values.prefix,
  others,
  cli: fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)),
  resultsDir: fileURLToPath(new URL("./results/", import.meta.url)),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(result.report);
