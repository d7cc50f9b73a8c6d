import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  recordForeignObjects,
  recordForeignObjectsV6,
  seedForeignObjects,
  seedForeignObjectsV6,
  type ForeignObjects,
} from "./foreign-objects.js";
import { expectExit, useLabScenario } from "./lab-scenario.js";
import { observeOwnedObjects } from "./owned-objects.js";
import { expectEveryPairIpv6Only } from "./verify-both-families.js";

/**
 * Issue 9's IPv6-only clusters on ONE lab (v1o, three hosts on 2001:db8::/64, nsenter): the
 * hosts of examples/lab-ipv6-bgp.yaml taken through all ten combinations of host-gw, vxlan,
 * vxlan+directRouting, bgp mesh and bgp with a reflector with both attach styles, ending with
 * bgp reflector routed (the example itself, so it converges here), each applied over the last. After each: verify reaches every
 * pair in the IPv6 matrix (full-size probes included; no IPv4 matrix), BGP sessions are
 * Established, and the second plan is empty. Foreign objects of both families are seeded on
 * node-1 before the first apply and must read the same after destroy.
 */

const example = parse(readFileSync("examples/lab-ipv6-bgp.yaml", "utf8")) as TopologyFile;

interface Step {
  readonly mode: "host-gw" | "vxlan" | "bgp";
  readonly attach: "bridge" | "routed";
  readonly directRouting?: boolean;
  readonly reflectors?: readonly string[];
}

const STEPS: readonly Step[] = [
  { mode: "host-gw", attach: "bridge" },
  { mode: "host-gw", attach: "routed" },
  { mode: "vxlan", attach: "routed" },
  { mode: "vxlan", directRouting: true, attach: "routed" },
  { mode: "vxlan", directRouting: true, attach: "bridge" },
  { mode: "vxlan", attach: "bridge" },
  { mode: "bgp", attach: "bridge", reflectors: [] },
  { mode: "bgp", attach: "bridge", reflectors: ["node-1"] },
  { mode: "bgp", attach: "routed", reflectors: [] },
  // examples/lab-ipv6-bgp.yaml's own cluster.
  { mode: "bgp", attach: "routed", reflectors: ["node-1"] },
];

const stepName = (step: Step): string =>
  `${step.mode}${step.directRouting === true ? "+direct" : ""}` +
  `${step.reflectors === undefined ? "" : step.reflectors.length > 0 ? " reflector" : " mesh"} ${step.attach}`;

/** The example's hosts and cluster range with a step's mode, on this file's own lab. */
const topology = (step: Step): TopologyFile => ({
  ...example,
  name: "e2e-ipv6-only",
  cluster: {
    cidr: example.cluster.cidr,
    mode: step.mode,
    attach: step.attach,
    ...(step.directRouting !== undefined && { vxlan: { directRouting: step.directRouting } }),
    ...(step.reflectors !== undefined && { bgp: { reflectors: [...step.reflectors] } }),
  },
  lab: { prefix: "v1o", sshd: false },
});

/** node-1 has no IPv4 underlay: the foreign IPv4 neighbour sits on eth0 all the same. */
const FOREIGN_V4_STAND_IN = "192.0.2.51";
const STEP_TIMEOUT_MS = 120_000;

describe("lab v1o: an IPv6-only cluster through host-gw, vxlan and bgp, both attach styles", () => {
  const first = STEPS[0] as Step;
  const scenario = useLabScenario(topology(first));
  let foreign: ForeignObjects | undefined;
  let foreignV6 = "";

  for (const [index, step] of STEPS.entries()) {
    const path =
      index === 0
        ? `lab up, then ${stepName(step)}`
        : `${stepName(STEPS[index - 1] as Step)} → ${stepName(step)}`;
    it(
      `${path}: every pair in the IPv6 matrix, an empty second plan`,
      async () => {
        if (index === 0) {
          expectExit(await scenario.cli(["lab", "up"]), 0);
          const eth0 = await scenario.inHostOk("node-1", [
            "ip",
            "-o",
            "addr",
            "show",
            "dev",
            "eth0",
          ]);
          expect(eth0).toContain("2001:db8::51/64");
          expect(eth0).not.toContain("inet ");
          await seedForeignObjects(scenario, "node-1", FOREIGN_V4_STAND_IN);
          await seedForeignObjectsV6(scenario, "node-1");
          foreign = await recordForeignObjects(scenario, "node-1", FOREIGN_V4_STAND_IN);
          foreignV6 = await recordForeignObjectsV6(scenario, "node-1");
        } else {
          await scenario.write(topology(step));
        }
        expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
        const verify = await expectEveryPairIpv6Only(scenario, 6);
        if (step.mode === "bgp") {
          const sessions = step.reflectors?.length === 0 ? 6 : 4;
          expect(verify.stdout).toContain(`${sessions} of ${sessions} BGP sessions established`);
        }
        expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
      },
      STEP_TIMEOUT_MS,
    );
  }

  it(
    "destroy removes every owned object and leaves the foreign ones of both families as they were",
    async () => {
      const owned = (): Promise<string[]> => observeOwnedObjects(scenario, topology(first));
      expect((await owned()).some((line) => line.includes(" proto 77"))).toBe(true);
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
      expect(await owned()).toEqual([]);
      expect(await recordForeignObjects(scenario, "node-1", FOREIGN_V4_STAND_IN)).toEqual(foreign);
      expect(await recordForeignObjectsV6(scenario, "node-1")).toBe(foreignV6);
    },
    STEP_TIMEOUT_MS,
  );
});
