import { expect } from "vitest";
import type { LabScenario } from "./lab-scenario.js";

/**
 * Objects netplan-k does not own, seeded in a lab host before the first apply: a static route
 * outside the cluster CIDR, a bridge, a namespace and a permanent neighbour. Whatever apply,
 * change and destroy do, each one's `ip -j` listing must read the same byte for byte at the end.
 */

export const FOREIGN_ROUTE = "203.0.113.0/24";
export const FOREIGN_BRIDGE = "frgn0";
export const FOREIGN_NAMESPACE = "frgn";
const FOREIGN_NEIGHBOUR_MAC = "02:00:00:00:00:01";

/** A free address of the host's segment for the foreign neighbour: .250 of its /24. */
const neighbourAddress = (underlayAddress: string): string =>
  `${underlayAddress.split(".").slice(0, 3).join(".")}.250`;

export interface ForeignObjects {
  readonly route: string;
  readonly bridge: string;
  readonly neighbour: string;
  /** `ip netns list` of the host, reduced to the foreign namespace's line. */
  readonly namespace: string;
  /** The foreign namespace's own links (lo, down, no alias). */
  readonly namespaceLinks: string;
}

export async function seedForeignObjects(
  scenario: LabScenario,
  host: string,
  underlayAddress: string,
): Promise<void> {
  const run = (argv: readonly string[]) => scenario.inHostOk(host, argv);
  await run(["ip", "route", "add", FOREIGN_ROUTE, "dev", "eth0", "proto", "static"]);
  await run(["ip", "link", "add", FOREIGN_BRIDGE, "type", "bridge"]);
  await run(["ip", "netns", "add", FOREIGN_NAMESPACE]);
  await run([
    ...["ip", "neigh", "add", neighbourAddress(underlayAddress)],
    ...["lladdr", FOREIGN_NEIGHBOUR_MAC, "dev", "eth0", "nud", "permanent"],
  ]);
}

export async function recordForeignObjects(
  scenario: LabScenario,
  host: string,
  underlayAddress: string,
): Promise<ForeignObjects> {
  const run = (argv: readonly string[]) => scenario.inHostOk(host, argv);
  const namespaces = await run(["ip", "netns", "list"]);
  return {
    route: await run(["ip", "-j", "route", "show", "table", "main", "exact", FOREIGN_ROUTE]),
    bridge: await run(["ip", "-j", "link", "show", "dev", FOREIGN_BRIDGE]),
    neighbour: await run([
      ...["ip", "-j", "neigh", "show", neighbourAddress(underlayAddress), "dev", "eth0"],
    ]),
    namespace: namespaces
      .split("\n")
      .filter((line) => line.split(" ")[0] === FOREIGN_NAMESPACE)
      .join("\n"),
    namespaceLinks: await run(["ip", "-n", FOREIGN_NAMESPACE, "-j", "link", "show"]),
  };
}

/** A foreign IPv6 route (outside every lab cluster's range) and address, for dual-stack labs. */
export const FOREIGN_ROUTE_V6 = "2001:db8:ff::/64";
export const FOREIGN_ADDRESS_V6 = "2001:db8:fe::1/64";

/**
 * Seeds the IPv6 side of a dual-stack lab host's foreign objects, after seedForeignObjects (the
 * address goes on its bridge): a static route and an address (nodad: no DAD wait).
 */
export async function seedForeignObjectsV6(scenario: LabScenario, host: string): Promise<void> {
  const run = (argv: readonly string[]) => scenario.inHostOk(host, argv);
  await run(["ip", "-6", "route", "add", FOREIGN_ROUTE_V6, "dev", "eth0", "proto", "static"]);
  await run(["ip", "addr", "add", FOREIGN_ADDRESS_V6, "dev", FOREIGN_BRIDGE, "nodad"]);
}

/** The `ip -j` listings of seedForeignObjectsV6's route and bridge addresses, joined by a newline. */
export async function recordForeignObjectsV6(scenario: LabScenario, host: string): Promise<string> {
  const run = (argv: readonly string[]) => scenario.inHostOk(host, argv);
  return [
    await run(["ip", "-j", "-6", "route", "show", "exact", FOREIGN_ROUTE_V6]),
    await run(["ip", "-j", "-6", "addr", "show", "dev", FOREIGN_BRIDGE]),
  ].join("\n");
}

/** Objects netplan-k does not own, seeded before a lab's first apply and compared at its end. */
export interface ForeignSeed {
  seed(scenario: LabScenario): Promise<void>;
  /** What must read the same at the end as right after seed (compared with toEqual). */
  record(scenario: LabScenario): Promise<unknown>;
}

/** Both families' foreign objects on one host of a dual-stack lab, as one ForeignSeed. */
export function dualStackForeignSeed(host: string, underlayAddress: string): ForeignSeed {
  return {
    async seed(scenario) {
      await seedForeignObjects(scenario, host, underlayAddress);
      await seedForeignObjectsV6(scenario, host);
      expect(await recordForeignObjectsV6(scenario, host)).toContain(FOREIGN_ROUTE_V6);
    },
    async record(scenario) {
      return {
        v4: await recordForeignObjects(scenario, host, underlayAddress),
        v6: await recordForeignObjectsV6(scenario, host),
      };
    },
  };
}
