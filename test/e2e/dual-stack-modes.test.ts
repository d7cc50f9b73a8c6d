import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { renderTable } from "../migration/switch-table.js";
import { packetsLost, startPing, type PingCount } from "../migration/workload-traffic.js";
import {
  FOREIGN_ROUTE_V6,
  recordForeignObjects,
  recordForeignObjectsV6,
  seedForeignObjects,
  seedForeignObjectsV6,
  type ForeignObjects,
} from "./foreign-objects.js";
import { describeRun, expectExit, useLabScenario, type CommandRun } from "./lab-scenario.js";
import { observeOwnedObjects } from "./owned-objects.js";
import { expectEveryPairBothFamilies } from "./verify-both-families.js";

/**
 * Issue 9's matrix on one lab (v3): a dual-stack cluster taken through host-gw bridge →
 * host-gw routed → vxlan+directRouting routed → vxlan routed → vxlan+directRouting bridge, each
 * topology applied over the last, so that every step is itself a mode or attach switch (two
 * attach switches among them, bridge → routed and routed → bridge). After each apply: verify
 * reaches every pair in both families (the full-size probe of each family included) and the
 * second plan is empty. While each apply runs, red pings blue in each family every 10 ms: a
 * switch IPv4 crosses without loss in test/migration's mode chain must lose no IPv6 packet
 * either. destroy at the end leaves the foreign objects of both families as they were.
 *
 * One segment: lab routers carry IPv4 only, so directRouting finds every peer on the host's
 * segment in both families and routes it directly, with the VTEPs up beside (what the
 * lossless migrations of the mode chain go through); the per-pair VTEP counters of
 * directRouting across segments are test/migration/direct-routing.test.ts's, IPv4 only.
 */

const CIDR_V4 = "10.48.0.0/16";
const CIDR_V6 = "fd00:10:48::/56";

type Attach = "bridge" | "routed";

interface Step {
  readonly mode: "host-gw" | "vxlan";
  readonly directRouting?: boolean;
  readonly attach: Attach;
  /** Asserted: not one packet lost in either family, as IPv4 in the mode chain. */
  readonly lossless: boolean;
}

const STEPS: readonly Step[] = [
  { mode: "host-gw", attach: "bridge", lossless: false },
  // The workload's addresses change prefix and the host veth leaves cni0: disruptive.
  { mode: "host-gw", attach: "routed", lossless: false },
  // The same direct routes, VTEPs added beside them.
  { mode: "vxlan", directRouting: true, attach: "routed", lossless: true },
  // Routes move onto VTEPs every peer already has.
  { mode: "vxlan", attach: "routed", lossless: true },
  { mode: "vxlan", directRouting: true, attach: "bridge", lossless: false },
];

const stepName = (step: Step): string =>
  `${step.mode}${step.directRouting === true ? "+direct" : ""} ${step.attach}`;

const SOURCE = { host: "node-1", workload: "red" };
const TARGET = { host: "node-2", workload: "blue", v4: "10.48.2.2", v6: "fd00:10:48:2::2" };

const topology = (step: Step): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "e2e-ds-modes",
  cluster: {
    cidr: [CIDR_V4, CIDR_V6],
    mode: step.mode,
    attach: step.attach,
    ...(step.directRouting !== undefined && { vxlan: { directRouting: step.directRouting } }),
  },
  hosts: [
    {
      name: SOURCE.host,
      address: ["192.0.2.41/24", "2001:db8::41/64"],
      podCidr: ["10.48.1.0/24", "fd00:10:48:1::/64"],
      namespaces: [{ name: SOURCE.workload, ip: ["10.48.1.2", "fd00:10:48:1::2"] }],
    },
    {
      name: TARGET.host,
      address: ["192.0.2.42/24", "2001:db8::42/64"],
      podCidr: ["10.48.2.0/24", "fd00:10:48:2::/64"],
      namespaces: [{ name: TARGET.workload, ip: [TARGET.v4, TARGET.v6] }],
    },
    {
      name: "node-3",
      address: ["192.0.2.43/24", "2001:db8::43/64"],
      podCidr: ["10.48.3.0/24", "fd00:10:48:3::/64"],
      namespaces: [{ name: "green", ip: ["10.48.3.2", "fd00:10:48:3::2"] }],
    },
  ],
  lab: { prefix: "v3", sshd: false },
});

const PING_INTERVAL_MS = 10;
/** Ping runs this long before each apply and after it, so a loss just after apply shows. */
const SETTLE_MS = 500;
const STEP_TIMEOUT_MS = 120_000;

interface Measure {
  readonly step: string;
  readonly v4: PingCount;
  readonly v6: PingCount;
  readonly applyMs: number;
}

describe("lab v3: dual-stack through host-gw and vxlan, both attach styles, one lab", () => {
  const first = STEPS[0] as Step;
  const scenario = useLabScenario(topology(first));
  const measures: Measure[] = [];
  let foreign: ForeignObjects | undefined;
  let foreignV6 = "";

  afterAll(() => {
    // The IPv6 figures next to IPv4's of the mode chain (docs/migration.md).
    console.log(
      `dual-stack switches, red → blue, ping every ${PING_INTERVAL_MS} ms:\n` +
        renderTable(
          ["switch", "IPv4 sent", "IPv4 lost", "IPv6 sent", "IPv6 lost", "apply"],
          measures.map((m) => [
            m.step,
            String(m.v4.transmitted),
            String(packetsLost(m.v4)),
            String(m.v6.transmitted),
            String(packetsLost(m.v6)),
            `${(m.applyMs / 1000).toFixed(1)} s`,
          ]),
        ),
    );
  });

  it(
    `lab up, foreign objects of both families, then ${stepName(first)}: every pair in both families, an empty second plan`,
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      await seedForeignObjects(scenario, "node-1", "192.0.2.41");
      await seedForeignObjectsV6(scenario, "node-1");
      foreign = await recordForeignObjects(scenario, "node-1", "192.0.2.41");
      foreignV6 = await recordForeignObjectsV6(scenario, "node-1");
      expect(foreignV6).toContain(FOREIGN_ROUTE_V6);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      await expectEveryPairBothFamilies(scenario, 6);
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  for (const [index, step] of STEPS.entries()) {
    if (index === 0) continue;
    const path = `${stepName(STEPS[index - 1] as Step)} → ${stepName(step)}`;
    it(
      `${path}: every pair in both families, an empty second plan${step.lossless ? ", no packet lost in either family" : ""}`,
      async () => {
        const ping = (address: string) =>
          startPing(scenario, SOURCE.host, SOURCE.workload, address, PING_INTERVAL_MS / 1000);
        const pings = [ping(TARGET.v4), ping(TARGET.v6)];
        await sleep(SETTLE_MS);
        await scenario.write(topology(step));
        const started = Date.now();
        const apply: CommandRun = await scenario.cli(["apply"], ["--auto-approve"]);
        const applyMs = Date.now() - started;
        await sleep(SETTLE_MS);
        const [v4, v6] = (await Promise.all(pings.map((p) => p.stop()))) as [PingCount, PingCount];
        measures.push({ step: path, v4, v6, applyMs });
        expectExit(apply, 0);
        // Both streams really ran through the switch.
        expect(v4.transmitted).toBeGreaterThan(SETTLE_MS / PING_INTERVAL_MS);
        expect(v6.transmitted).toBeGreaterThan(SETTLE_MS / PING_INTERVAL_MS);
        await expectEveryPairBothFamilies(scenario, 6);
        expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
        if (step.lossless) {
          expect(packetsLost(v4), describeRun(apply)).toBe(0);
          expect(packetsLost(v6), describeRun(apply)).toBe(0);
        }
      },
      STEP_TIMEOUT_MS,
    );
  }

  it(
    "destroy removes every owned object of both families and leaves the foreign ones as they were",
    async () => {
      const owned = (): Promise<string[]> => observeOwnedObjects(scenario, topology(first));
      expect(await owned()).toContain("node-1 route fd00:10:48:2::/64 proto 77");
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
      expect(await owned()).toEqual([]);
      expect(await recordForeignObjects(scenario, "node-1", "192.0.2.41")).toEqual(foreign);
      expect(await recordForeignObjectsV6(scenario, "node-1")).toBe(foreignV6);
    },
    STEP_TIMEOUT_MS,
  );
});
