import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, test } from "vitest";
import { KERNEL_DRIVERS, type KernelDriver } from "../../src/model/index.js";
import { OBSERVATION_SCRIPT } from "../../src/observe/observation-script.js";
import { parseObservation } from "../../src/observe/parse-observation.js";

const isRoot = process.getuid?.() === 0;
const NETNS = `xa-facts-${process.pid}`;

const MODULES: Readonly<Record<KernelDriver, [module: string, config: string]>> = {
  bridge: ["bridge", "CONFIG_BRIDGE"],
  veth: ["veth", "CONFIG_VETH"],
  vxlan: ["vxlan", "CONFIG_VXLAN"],
  ipip: ["ipip", "CONFIG_NET_IPIP"],
};

/**
 * What this kernel offers, read here without the script: on this project's machines (kernel
 * 6.18, no modules, no modprobe) /sys/module has bridge and vxlan but not veth, and
 * /proc/config.gz says CONFIG_BRIDGE=y, CONFIG_VETH=y, CONFIG_VXLAN=y and no NET_IPIP.
 */
function driversOfThisKernel(): Record<KernelDriver, boolean> {
  const config = existsSync("/proc/config.gz")
    ? gunzipSync(readFileSync("/proc/config.gz")).toString("utf8").split("\n")
    : [];
  return Object.fromEntries(
    KERNEL_DRIVERS.map((driver) => {
      const [module, symbol] = MODULES[driver];
      return [driver, existsSync(`/sys/module/${module}`) || config.includes(`${symbol}=y`)];
    }),
  ) as Record<KernelDriver, boolean>;
}

describe.skipIf(!isRoot)("the facts of this kernel (root)", () => {
  afterEach(async () => {
    await execa("ip", ["netns", "del", NETNS], { reject: false });
  });

  test("drivers found without creating a device, in a namespace that holds none", async () => {
    await execa("ip", ["netns", "add", NETNS]);
    const { stdout } = await execa("ip", ["netns", "exec", NETNS, "sh", "-s"], {
      input: OBSERVATION_SCRIPT,
    });
    const { state, facts } = parseObservation("live", stdout);
    expect(state.root.links.map((link) => link.name)).toEqual(["lo"]);
    expect(facts.drivers).toEqual(driversOfThisKernel());
    // The script's own PATH (non-interactive ssh sessions often lack the sbin directories).
    const path = "/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin";
    const bird = await execa("sh", ["-c", "command -v bird"], {
      reject: false,
      env: { PATH: path },
    });
    expect(facts.bird).toBe(bird.exitCode === 0);
  });
});
