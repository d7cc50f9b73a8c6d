import { afterAll, describe, expect, it } from "vitest";
import { vtepName } from "../../src/modes/naming.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { expectExit, useLabScenario, type LabScenario } from "../e2e/lab-scenario.js";
import { labHost } from "../e2e/topologies.js";
import { renderTable } from "./switch-table.js";
import { pingTimes, txPackets, workloadAddress } from "./workload-traffic.js";

/**
 * directRouting proven per pair with packets. Two segments joined by a router: a-1 and a-2 on
 * one, b-1 on the other. For every ordered pair of workloads, the VTEP's TX counter on the
 * source host is read around 5 pings: with directRouting a same-segment pair must not touch
 * the VTEP and a cross-segment pair must send its 5 requests through it; without directRouting
 * every pair goes through it. The TX counter is the source host's: the requests leave there.
 */

const PINGS = 5;
const STEP_TIMEOUT_MS = 120_000;
const VNI = 1;
const VTEP = vtepName(VNI);

interface Workload {
  readonly host: string;
  readonly name: string;
  readonly segment: "A" | "B";
}

const WORKLOADS: readonly Workload[] = [
  { host: "a-1", name: "web", segment: "A" },
  { host: "a-2", name: "api", segment: "A" },
  { host: "b-1", name: "db", segment: "B" },
];

const PAIRS = WORKLOADS.flatMap((source) =>
  WORKLOADS.filter((target) => target !== source).map((target) => ({ source, target })),
);

const topology = (directRouting: boolean): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "mg-direct",
  cluster: {
    cidr: "10.47.0.0/16",
    mode: "vxlan",
    attach: "routed",
    vxlan: { vni: VNI, directRouting },
  },
  hosts: [
    labHost("a-1", "192.0.2.81/24", "web"),
    labHost("a-2", "192.0.2.82/24", "api"),
    labHost("b-1", "198.51.100.81/24", "db"),
  ],
  lab: {
    prefix: "mgdr",
    sshd: false,
    routers: [{ name: "r1", legs: ["192.0.2.1/24", "198.51.100.1/24"] }],
  },
});

const pairName = (pair: (typeof PAIRS)[number]): string =>
  `${pair.source.host}/${pair.source.name} → ${pair.target.host}/${pair.target.name}`;

/** How many packets each pair's 5 pings sent through the source host's VTEP. */
async function measureVtepPackets(
  scenario: LabScenario,
  addresses: ReadonlyMap<string, string>,
): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  // One pair at a time: a pair's counter must see only its own pings.
  for (const pair of PAIRS) {
    const address = addresses.get(pair.target.name) ?? "";
    const before = await txPackets(scenario, pair.source.host, VTEP);
    const count = await pingTimes(scenario, pair.source.host, pair.source.name, address, PINGS);
    const after = await txPackets(scenario, pair.source.host, VTEP);
    expect(count.received, `${pairName(pair)}: replies`).toBe(PINGS);
    sent.set(pairName(pair), after - before);
  }
  return sent;
}

describe("directRouting proven per pair with packets", () => {
  const scenario = useLabScenario(topology(true));
  const addresses = new Map<string, string>();
  const direct = new Map<string, number>();
  const overlay = new Map<string, number>();

  afterAll(() => {
    const rows = PAIRS.map((pair) => [
      pairName(pair),
      pair.source.segment === pair.target.segment ? "same" : "cross",
      String(direct.get(pairName(pair)) ?? "-"),
      String(overlay.get(pairName(pair)) ?? "-"),
    ]);
    console.log(
      `${VTEP} TX packets on the source host around ${PINGS} pings:\n` +
        renderTable(["pair", "segments", "directRouting", "without"], rows),
    );
  });

  it(
    "lab up and apply vxlan with directRouting",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      expectExit(await scenario.cli(["verify"]), 0);
      for (const workload of WORKLOADS) {
        addresses.set(workload.name, await workloadAddress(scenario, workload.host, workload.name));
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    `same-segment pairs leave ${VTEP} alone, cross-segment pairs go through it`,
    async () => {
      for (const [pair, packets] of await measureVtepPackets(scenario, addresses)) {
        direct.set(pair, packets);
      }
      for (const pair of PAIRS) {
        const packets = direct.get(pairName(pair));
        if (pair.source.segment === pair.target.segment) {
          expect(packets, pairName(pair)).toBe(0);
        } else {
          expect(packets, pairName(pair)).toBeGreaterThanOrEqual(PINGS);
        }
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "without directRouting every pair goes through the VTEP",
    async () => {
      await scenario.write(topology(false));
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
      for (const [pair, packets] of await measureVtepPackets(scenario, addresses)) {
        overlay.set(pair, packets);
      }
      for (const pair of PAIRS) {
        expect(overlay.get(pairName(pair)), pairName(pair)).toBeGreaterThanOrEqual(PINGS);
      }
    },
    STEP_TIMEOUT_MS,
  );
});
