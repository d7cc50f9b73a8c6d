import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/observe/snapshot.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  recordForeignObjects,
  seedForeignObjects,
  type ForeignObjects,
} from "./foreign-objects.js";
import { describeRun, expectExit, useLabScenario, type LabScenario } from "./lab-scenario.js";
import { listOwnedObjects } from "./owned-objects.js";

/**
 * Issue 9's bgp in a lab: dual-stack clusters in mode bgp, applied one after the other on ONE
 * lab (v2, three hosts on one segment carrying both underlays, reached through nsenter):
 * reflectors with attach routed, then a full mesh with attach bridge. Each goes apply →
 * verify (every pair in both families, every session of both families Established from both
 * ends) → an empty second plan → destroy. Objects netplan-k does not own, of both families,
 * are seeded before the first apply and must read the same after the last destroy.
 * IPv6-only clusters are not built (docs/kernel-layout.md, "Not built"): no row for them.
 */

const CIDR_V4 = "10.48.0.0/16";
const CIDR_V6 = "fd00:10:48::/56";

const dualStackBgp = (
  attach: "bridge" | "routed",
  reflectors: readonly string[],
): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "e2e-ipv6-bgp",
  cluster: { cidr: [CIDR_V4, CIDR_V6], mode: "bgp", attach, bgp: { reflectors: [...reflectors] } },
  hosts: [
    {
      name: "node-1",
      address: ["192.0.2.61/24", "2001:db8::61/64"],
      namespaces: [{ name: "red" }],
    },
    {
      name: "node-2",
      address: ["192.0.2.62/24", "2001:db8::62/64"],
      namespaces: [{ name: "blue" }],
    },
    {
      name: "node-3",
      address: ["192.0.2.63/24", "2001:db8::63/64"],
      namespaces: [{ name: "green" }],
    },
  ],
  lab: { prefix: "v2", sshd: false },
});

interface Row {
  readonly title: string;
  readonly topology: TopologyFile;
  /** BGP sessions of the cluster, both families: each is listed from both of its ends. */
  readonly sessions: number;
}

const rows: readonly Row[] = [
  // node-1 reflects for node-2 and node-3: 2 sessions per family.
  {
    title: "reflector, attach routed",
    topology: dualStackBgp("routed", ["node-1"]),
    sessions: 4,
  },
  // 3 pairs, per family.
  { title: "full mesh, attach bridge", topology: dualStackBgp("bridge", []), sessions: 6 },
];

/** An IPv6 route and address netplan-k does not own, beside the IPv4 ones of foreign-objects.ts. */
const FOREIGN_ROUTE_V6 = "2001:db8:ff::/64";
const FOREIGN_ADDRESS_V6 = "2001:db8:fe::1/64";
const SEED_HOST = "node-1";
const SEED_ADDRESS = "192.0.2.61";

const STEP_TIMEOUT_MS = 60_000;

/** Every owned object in the lab: IPv4's by listOwnedObjects, proto 77 IPv6 routes too. */
async function observeOwned(scenario: LabScenario, topology: TopologyFile): Promise<string[]> {
  const run = await scenario.cli(["observe"]);
  expectExit(run, 0);
  const snapshot = JSON.parse(run.stdout) as Snapshot;
  const v6Routes = snapshot.hosts.flatMap(({ host, state }) =>
    [state.root, ...state.namespaces.map((ns) => ns.net)].flatMap((net) =>
      net.routes
        .filter((route) => route.protocol === 77 && route.dst.startsWith("fd00:10:48:"))
        .map((route) => `${host} route ${route.dst}`),
    ),
  );
  return [...listOwnedObjects(run.stdout, topology.name, CIDR_V4), ...v6Routes];
}

async function recordForeignV6(scenario: LabScenario): Promise<string> {
  const show = (argv: readonly string[]) => scenario.inHostOk(SEED_HOST, argv);
  return [
    await show(["ip", "-j", "-6", "route", "show", "exact", FOREIGN_ROUTE_V6]),
    await show(["ip", "-j", "-6", "addr", "show", "dev", "frgn0"]),
  ].join("\n");
}

describe("lab v2: dual-stack bgp, one lab, topologies in sequence (nsenter)", () => {
  const [first] = rows;
  if (first === undefined) throw new Error("no rows");
  const scenario = useLabScenario(first.topology);
  let foreign: ForeignObjects | undefined;
  let foreignV6 = "";

  it(
    "lab up, and objects of both families netplan-k does not own seeded in node-1",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      await seedForeignObjects(scenario, SEED_HOST, SEED_ADDRESS);
      const seed = (argv: readonly string[]) => scenario.inHostOk(SEED_HOST, argv);
      await seed(["ip", "-6", "route", "add", FOREIGN_ROUTE_V6, "dev", "eth0", "proto", "static"]);
      await seed(["ip", "addr", "add", FOREIGN_ADDRESS_V6, "dev", "frgn0", "nodad"]);
      foreign = await recordForeignObjects(scenario, SEED_HOST, SEED_ADDRESS);
      foreignV6 = await recordForeignV6(scenario);
      expect(foreignV6).toContain(FOREIGN_ROUTE_V6);
      expect(foreignV6).toContain(FOREIGN_ADDRESS_V6.split("/")[0]);
    },
    STEP_TIMEOUT_MS,
  );

  for (const row of rows) {
    describe(row.title, () => {
      it(
        "apply converges; verify reaches every pair in both families with every session up",
        async () => {
          await scenario.write(row.topology);
          expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
          const verify = await scenario.cli(["verify"]);
          expectExit(verify, 0);
          const [v4, v6] = verify.stdout.split("IPv6:\n");
          expect(v4, describeRun(verify)).toContain("IPv4:\n");
          expect(v4, describeRun(verify)).toContain("6 of 6 paths reachable");
          expect(v6, describeRun(verify)).toContain("6 of 6 paths reachable");
          expect(verify.stdout).not.toContain("✗");
          const ends = 2 * row.sessions;
          expect(verify.stdout, describeRun(verify)).toContain(
            `${ends} of ${ends} BGP sessions established`,
          );
          // Half of the ends are IPv6 sessions, each with its IPv6 neighbour.
          expect(verify.stdout.match(/^node-\d\s+peer6_node_\d\s.*Established/gm)).toHaveLength(
            row.sessions,
          );
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "the second plan is empty",
        async () => {
          expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "destroy removes every owned object of both families",
        async () => {
          // Every host's IPv6 block blackhole at least: the IPv6 side was built and is seen.
          const owned = await observeOwned(scenario, row.topology);
          expect(owned.filter((line) => line.includes(" route fd00:10:48:"))).toHaveLength(
            row.topology.cluster.attach === "routed" ? 6 : 3,
          );
          expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
          expect(await observeOwned(scenario, row.topology)).toEqual([]);
        },
        STEP_TIMEOUT_MS,
      );
    });
  }

  it(
    "the foreign objects of both families are as they were seeded",
    async () => {
      expect(await recordForeignObjects(scenario, SEED_HOST, SEED_ADDRESS)).toEqual(foreign);
      expect(await recordForeignV6(scenario)).toBe(foreignV6);
    },
    STEP_TIMEOUT_MS,
  );
});
