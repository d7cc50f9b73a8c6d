import { Address4 } from "ip-address";
import type { NetState } from "../../src/model/host-state.js";
import type { Snapshot } from "../../src/observe/snapshot.js";

/**
 * What `netplan-k observe` shows of a topology's own objects, by the ownership marks of
 * DESIGN.md read straight off the snapshot: links with the alias, routes with proto 77 in the
 * cluster CIDR, namespaces whose lo carries the alias, BIRD's configuration with the header.
 * One line per object, so a failing assertion names what was left.
 */

const ROUTE_PROTOCOL = 77;
const BIRD_CONFIG = "/etc/bird/bird.conf";

const inCidr = (dst: string, cidr: string): boolean =>
  Address4.isValid(dst) && new Address4(dst).isInSubnet(new Address4(cidr));

function ownedInNet(net: NetState, where: string, topology: string, cidr: string): string[] {
  const alias = `netplan-k:${topology}`;
  return [
    // An adopted tunl0's alias goes on with how it was found (":was-up-mtu-1480").
    ...net.links
      .filter((link) => link.alias === alias || link.alias?.startsWith(`${alias}:`))
      .map((link) => `${where} link ${link.name}`),
    ...net.routes
      .filter((route) => route.protocol === ROUTE_PROTOCOL && inCidr(route.dst, cidr))
      .map((route) => `${where} route ${route.dst} proto ${ROUTE_PROTOCOL}`),
  ];
}

export function listOwnedObjects(snapshotJson: string, topology: string, cidr: string): string[] {
  const snapshot = JSON.parse(snapshotJson) as Snapshot;
  const header = `# managed by netplan-k, topology ${topology};`;
  return snapshot.hosts.flatMap(({ host, state }) => [
    ...ownedInNet(state.root, host, topology, cidr),
    ...state.namespaces.flatMap((namespace) => [
      ...(namespace.owner === topology ? [`${host} namespace ${namespace.name}`] : []),
      ...ownedInNet(namespace.net, `${host}[${namespace.name}]`, topology, cidr),
    ]),
    ...state.files
      .filter((file) => file.path === BIRD_CONFIG && file.content.startsWith(header))
      .map((file) => `${host} file ${file.path}`),
  ]);
}
