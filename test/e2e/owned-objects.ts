import { Address4, Address6 } from "ip-address";
import type { NetState } from "../../src/model/host-state.js";
import type { Snapshot } from "../../src/observe/snapshot.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { expectExit, type LabScenario } from "./lab-scenario.js";

/**
 * What `netplan-k observe` shows of a topology's own objects, by the ownership marks of
 * DESIGN.md read straight off the snapshot: links with the alias, routes with proto 77 in the
 * cluster CIDR, namespaces whose lo carries the alias, BIRD's configuration with the header.
 * One line per object, so a failing assertion names what was left.
 */

const ROUTE_PROTOCOL = 77;
const BIRD_CONFIG = "/etc/bird/bird.conf";

const inCidr = (dst: string, cidr: string): boolean =>
  cidr.includes(":")
    ? Address6.isValid(dst) && new Address6(dst).isInSubnet(new Address6(cidr))
    : Address4.isValid(dst) && new Address4(dst).isInSubnet(new Address4(cidr));

function ownedInNet(
  net: NetState,
  where: string,
  topology: string,
  cidrs: readonly string[],
): string[] {
  const alias = `netplan-k:${topology}`;
  return [
    // An adopted tunl0's alias goes on with how it was found (":was-up-mtu-1480").
    ...net.links
      .filter((link) => link.alias === alias || link.alias?.startsWith(`${alias}:`))
      .map((link) => `${where} link ${link.name}`),
    ...net.routes
      .filter(
        (route) =>
          route.protocol === ROUTE_PROTOCOL && cidrs.some((cidr) => inCidr(route.dst, cidr)),
      )
      .map((route) => `${where} route ${route.dst} proto ${ROUTE_PROTOCOL}`),
  ];
}

/**
 * `cidr` is the cluster's range, or a dual-stack cluster's two ranges (routes inside either
 * are owned).
 */
export function listOwnedObjects(
  snapshotJson: string,
  topology: string,
  cidr: string | readonly string[],
): string[] {
  const cidrs = typeof cidr === "string" ? [cidr] : cidr;
  const snapshot = JSON.parse(snapshotJson) as Snapshot;
  const header = `# managed by netplan-k, topology ${topology};`;
  return snapshot.hosts.flatMap(({ host, state }) => [
    ...ownedInNet(state.root, host, topology, cidrs),
    ...state.namespaces.flatMap((namespace) => [
      ...(namespace.owner === topology ? [`${host} namespace ${namespace.name}`] : []),
      ...ownedInNet(namespace.net, `${host}[${namespace.name}]`, topology, cidrs),
    ]),
    ...state.files
      .filter((file) => file.path === BIRD_CONFIG && file.content.startsWith(header))
      .map((file) => `${host} file ${file.path}`),
  ]);
}

/**
 * listOwnedObjects of what `netplan-k observe` shows of the scenario's lab now, for a topology
 * of either kind (its cluster.cidr, one range or a dual-stack pair). Fails when observe does.
 */
export async function observeOwnedObjects(
  scenario: LabScenario,
  topology: TopologyFile,
): Promise<string[]> {
  const run = await scenario.cli(["observe"]);
  expectExit(run, 0);
  return listOwnedObjects(run.stdout, topology.name, topology.cluster.cidr);
}
