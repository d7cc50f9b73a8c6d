import type { Address, HostState, Link, NetState } from "../../src/model/index.js";
import { ROUTE_PROTOCOL } from "../../src/model/index.js";

/**
 * Random starting states for the apply property test (apply-property.test.ts): each mutation
 * takes a host's converged observation and returns the plain `ip`, `bridge` and shell
 * commands that move one of its owned objects away from the topology (missing, extra or
 * changed objects, renamed links, moved addresses, other MTUs, fdb destinations, neighbour
 * addresses, routes). Commands run in the lab host with `sh -s`; one that does not apply any
 * more (its object went with an earlier mutation) fails and is left at that.
 */

/** A seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export interface Random {
  /** In [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number): number => Math.floor(next() * n);
  return {
    next,
    below,
    pick: <T>(items: readonly T[]): T => {
      const item = items[below(items.length)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
  };
}

export interface Mutation {
  /** What it does, for the failure report: "rename link cni0 → xcr1". */
  readonly description: string;
  readonly commands: readonly string[];
}

/** What a mutation may look at: the converged observation and the ownership alias. */
export interface MutationInput {
  readonly observed: HostState;
  readonly alias: string;
  /** The cluster CIDR's first two octets ("10.47"): extra routes and addresses go there. */
  readonly clusterPrefix: string;
}

type Generator = (input: MutationInput, random: Random) => Mutation | undefined;

const ip = (netns: string | undefined): string => (netns === undefined ? "ip" : `ip -n ${netns}`);
const where = (netns: string | undefined): string => (netns === undefined ? "" : ` in ${netns}`);

const randomMac = (random: Random): string =>
  ["0e", ...Array.from({ length: 5 }, () => random.below(256).toString(16).padStart(2, "0"))].join(
    ":",
  );

interface Scoped<T> {
  readonly netns: string | undefined;
  readonly item: T;
}

/** Every owned namespace's net and the host's own, with where each lives. */
function scopes(input: MutationInput): Scoped<NetState>[] {
  return [
    { netns: undefined, item: input.observed.root },
    ...input.observed.namespaces
      .filter((ns) => ns.owner !== undefined)
      .map((ns) => ({ netns: ns.name, item: ns.net })),
  ];
}

/** Links netplan-k owns: aliased ones in the host, all but lo in a workload namespace. */
function ownedLinks(input: MutationInput): Scoped<Link>[] {
  return scopes(input).flatMap(({ netns, item }) =>
    item.links
      .filter((link) =>
        netns === undefined ? link.alias === input.alias : link.name !== "lo" && link.kind !== "",
      )
      .map((link) => ({ netns, item: link })),
  );
}

function ownedAddresses(input: MutationInput): Scoped<Address>[] {
  const owned = new Set(ownedLinks(input).map(({ netns, item }) => `${netns}/${item.name}`));
  return scopes(input).flatMap(({ netns, item }) =>
    item.addresses
      .filter((address) => owned.has(`${netns}/${address.dev}`))
      .map((address) => ({ netns, item: address })),
  );
}

const maybe = <T>(items: readonly T[], random: Random): T | undefined =>
  items.length === 0 ? undefined : random.pick(items);

const generators: readonly Generator[] = [
  function deleteLink(input, random) {
    const link = maybe(ownedLinks(input), random);
    return (
      link && {
        description: `delete link ${link.item.name}${where(link.netns)}`,
        commands: [`${ip(link.netns)} link del dev ${link.item.name}`],
      }
    );
  },
  function renameLink(input, random) {
    const link = maybe(ownedLinks(input), random);
    if (link === undefined) return undefined;
    const name = `xcr${random.below(100)}`;
    const set = `${ip(link.netns)} link set dev`;
    return {
      description: `rename link ${link.item.name}${where(link.netns)} → ${name}`,
      commands: [
        `${set} ${link.item.name} down`,
        `${set} ${link.item.name} name ${name}`,
        `${set} ${name} up`,
      ],
    };
  },
  function changeMtu(input, random) {
    const link = maybe(ownedLinks(input), random);
    const mtu = 1280 + random.below(200);
    return (
      link && {
        description: `mtu of ${link.item.name}${where(link.netns)} → ${mtu}`,
        commands: [`${ip(link.netns)} link set dev ${link.item.name} mtu ${mtu}`],
      }
    );
  },
  function setDown(input, random) {
    const link = maybe(ownedLinks(input), random);
    return (
      link && {
        description: `set ${link.item.name}${where(link.netns)} down`,
        commands: [`${ip(link.netns)} link set dev ${link.item.name} down`],
      }
    );
  },
  function changeMac(input, random) {
    const link = maybe(
      ownedLinks(input).filter(({ item }) => item.kind !== "bridge"),
      random,
    );
    const mac = randomMac(random);
    return (
      link && {
        description: `mac of ${link.item.name}${where(link.netns)} → ${mac}`,
        commands: [`${ip(link.netns)} link set dev ${link.item.name} address ${mac}`],
      }
    );
  },
  function detachPort(input, random) {
    const port = maybe(
      ownedLinks(input).filter(({ item }) => item.master !== undefined),
      random,
    );
    return (
      port && {
        description: `detach ${port.item.name} from ${port.item.master}`,
        commands: [`ip link set dev ${port.item.name} nomaster`],
      }
    );
  },
  function deleteAddress(input, random) {
    const address = maybe(ownedAddresses(input), random);
    return (
      address && {
        description: `delete address ${address.item.cidr} dev ${address.item.dev}${where(address.netns)}`,
        commands: [`${ip(address.netns)} addr del ${address.item.cidr} dev ${address.item.dev}`],
      }
    );
  },
  function moveAddress(input, random) {
    const address = maybe(ownedAddresses(input), random);
    if (address === undefined) return undefined;
    const target = maybe(
      ownedLinks(input).filter(
        ({ netns, item }) => netns === address.netns && item.name !== address.item.dev,
      ),
      random,
    );
    return (
      target && {
        description: `move address ${address.item.cidr}${where(address.netns)} from ${address.item.dev} to ${target.item.name}`,
        commands: [
          `${ip(address.netns)} addr del ${address.item.cidr} dev ${address.item.dev}`,
          `${ip(address.netns)} addr add ${address.item.cidr} dev ${target.item.name}`,
        ],
      }
    );
  },
  function extraAddress(input, random) {
    const link = maybe(ownedLinks(input), random);
    const cidr = `${input.clusterPrefix}.${200 + random.below(50)}.${1 + random.below(250)}/${random.pick([24, 32])}`;
    return (
      link && {
        description: `extra address ${cidr} on ${link.item.name}${where(link.netns)}`,
        commands: [`${ip(link.netns)} addr add ${cidr} dev ${link.item.name}`],
      }
    );
  },
  function moveFdbDestination(input, random) {
    const entry = maybe(input.observed.root.fdb, random);
    const dst = `192.0.2.${100 + random.below(100)}`;
    return (
      entry && {
        description: `fdb ${entry.mac} on ${entry.dev}: dst ${entry.dst} → ${dst}`,
        commands: [`bridge fdb replace ${entry.mac} dev ${entry.dev} dst ${dst} self permanent`],
      }
    );
  },
  function deleteFdb(input, random) {
    const entry = maybe(input.observed.root.fdb, random);
    return (
      entry && {
        description: `delete fdb ${entry.mac} dst ${entry.dst} on ${entry.dev}`,
        commands: [`bridge fdb del ${entry.mac} dev ${entry.dev} dst ${entry.dst} self`],
      }
    );
  },
  function extraFdb(input, random) {
    const vtep = maybe(
      input.observed.root.links.filter((link) => link.kind === "vxlan"),
      random,
    );
    const mac = randomMac(random);
    const dst = `192.0.2.${100 + random.below(100)}`;
    return (
      vtep && {
        description: `extra fdb ${mac} dst ${dst} on ${vtep.name}`,
        commands: [`bridge fdb append ${mac} dev ${vtep.name} dst ${dst} self permanent`],
      }
    );
  },
  function changeNeighbour(input, random) {
    const neighbour = maybe(
      input.observed.root.neighbours.filter((n) => n.permanent),
      random,
    );
    const mac = randomMac(random);
    return (
      neighbour && {
        description: `neighbour ${neighbour.dst} on ${neighbour.dev}: lladdr → ${mac}`,
        commands: [
          `ip neigh replace ${neighbour.dst} lladdr ${mac} dev ${neighbour.dev} nud permanent`,
        ],
      }
    );
  },
  function deleteNeighbour(input, random) {
    const neighbour = maybe(
      input.observed.root.neighbours.filter((n) => n.permanent),
      random,
    );
    return (
      neighbour && {
        description: `delete neighbour ${neighbour.dst} on ${neighbour.dev}`,
        commands: [`ip neigh del ${neighbour.dst} dev ${neighbour.dev}`],
      }
    );
  },
  function extraNeighbour(input, random) {
    const link = maybe(
      ownedLinks(input).filter(({ netns }) => netns === undefined),
      random,
    );
    const dst = `${input.clusterPrefix}.${200 + random.below(50)}.${1 + random.below(250)}`;
    const mac = randomMac(random);
    return (
      link && {
        description: `extra neighbour ${dst} lladdr ${mac} on ${link.item.name}`,
        commands: [`ip neigh replace ${dst} lladdr ${mac} dev ${link.item.name} nud permanent`],
      }
    );
  },
  function extraOwnedRoute(input, random) {
    const dst = `${input.clusterPrefix}.${200 + random.below(50)}.0/24`;
    const via = `192.0.2.${100 + random.below(100)}`;
    return {
      description: `extra route ${dst} via ${via} proto ${ROUTE_PROTOCOL}`,
      commands: [`ip route replace ${dst} via ${via} dev eth0 onlink proto ${ROUTE_PROTOCOL}`],
    };
  },
  function changeRoute(input, random) {
    const route = maybe(
      input.observed.root.routes.filter((r) => r.protocol === ROUTE_PROTOCOL),
      random,
    );
    const via = `192.0.2.${100 + random.below(100)}`;
    return (
      route && {
        description: `route ${route.dst}: via ${route.via ?? "(none)"} dev ${route.dev} → via ${via} dev eth0`,
        commands: [
          `ip route replace ${route.dst} via ${via} dev eth0 onlink proto ${ROUTE_PROTOCOL}`,
        ],
      }
    );
  },
  function deleteRoute(input, random) {
    const routes = scopes(input).flatMap(({ netns, item }) =>
      item.routes
        .filter((r) => (netns === undefined ? r.protocol === ROUTE_PROTOCOL : r.protocol !== 2))
        .filter((r) => r.table === 254)
        .map((r) => ({ netns, item: r })),
    );
    const route = maybe(routes, random);
    return (
      route && {
        description: `delete route ${route.item.dst}${where(route.netns)}`,
        commands: [`${ip(route.netns)} route del ${route.item.dst} table main`],
      }
    );
  },
  function extraBridge(input) {
    return {
      description: "extra owned bridge xcx0",
      commands: ["ip link add xcx0 type bridge", `ip link set dev xcx0 alias ${input.alias} up`],
    };
  },
  function extraVethPair(input, random) {
    const ns = maybe(
      input.observed.namespaces.filter((n) => n.owner !== undefined),
      random,
    );
    return (
      ns && {
        description: `extra owned veth pair xcv0 / xcv1 in ${ns.name}`,
        commands: [
          `ip link add xcv0 type veth peer name xcv1 netns ${ns.name}`,
          `ip link set dev xcv0 alias ${input.alias} up`,
        ],
      }
    );
  },
  function recreateVtepWithOtherId(input, random) {
    const vtep = maybe(
      input.observed.root.links.filter((link) => link.kind === "vxlan" && link.vxlan),
      random,
    );
    const vxlan = vtep?.vxlan;
    const id = 100 + random.below(100);
    return (
      vtep &&
      vxlan && {
        description: `recreate ${vtep.name} with vni ${id}`,
        commands: [
          `ip link del dev ${vtep.name}`,
          `ip link add ${vtep.name} type vxlan id ${id} local ${vxlan.local} dev ${vxlan.dev} dstport ${vxlan.port} nolearning`,
          `ip link set dev ${vtep.name} alias ${input.alias} up`,
        ],
      }
    );
  },
  function deleteNamespace(input, random) {
    const ns = maybe(
      input.observed.namespaces.filter((n) => n.owner !== undefined),
      random,
    );
    return (
      ns && {
        description: `delete namespace ${ns.name}`,
        commands: [`ip netns del ${ns.name}`],
      }
    );
  },
  function extraNamespace(input) {
    return {
      description: "extra owned namespace xcn",
      commands: ["ip netns add xcn", `ip -n xcn link set dev lo alias ${input.alias} up`],
    };
  },
  function namespaceLoDown(input, random) {
    const ns = maybe(
      input.observed.namespaces.filter((n) => n.owner !== undefined),
      random,
    );
    return (
      ns && {
        description: `set lo in ${ns.name} down`,
        commands: [`ip -n ${ns.name} link set dev lo down`],
      }
    );
  },
  function forwardingOff() {
    return {
      description: "ip_forward → 0",
      commands: ["echo 0 >/proc/sys/net/ipv4/ip_forward"],
    };
  },
  function proxyArpOff(input, random) {
    const sysctl = maybe(
      input.observed.sysctls.filter((s) => s.key.endsWith(".proxy_arp") && s.value === "1"),
      random,
    );
    return (
      sysctl && {
        description: `${sysctl.key} → 0`,
        // The device's name may hold dots (flannel.1): only the key's frame is a path.
        commands: [
          `echo 0 >/proc/sys/net/ipv4/conf/${sysctl.key.slice("net.ipv4.conf.".length, -".proxy_arp".length)}/proxy_arp`,
        ],
      }
    );
  },
];

/**
 * One to three mutations of a converged host, drawn with `random`. Each generator that finds
 * nothing to work on (no fdb entries in host-gw, say) is drawn again.
 */
export function drawMutations(input: MutationInput, random: Random): Mutation[] {
  const count = 1 + random.below(3);
  const mutations: Mutation[] = [];
  while (mutations.length < count) {
    const mutation = random.pick(generators)(input, random);
    if (mutation !== undefined) mutations.push(mutation);
  }
  return mutations;
}

/** The mutations as one script for `sh -s`: every command runs, a failure is only reported. */
export const mutationScript = (mutations: readonly Mutation[]): string =>
  mutations
    .flatMap((mutation) => mutation.commands)
    .map(
      (command) =>
        `${command} || echo "mutation command failed: ${command.replaceAll('"', "")}" >&2`,
    )
    .join("\n");
