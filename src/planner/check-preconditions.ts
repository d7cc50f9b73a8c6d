import type {
  Address,
  HostRequirements,
  KernelDriver,
  ObservedHost,
  UnderlayRequirement,
} from "../model/index.js";
import { iproute2TooOld, isIproute2AtLeast, ownerOfAlias } from "../model/index.js";

/**
 * Preconditions (DESIGN.md): what a host must offer before netplan-k changes anything on it,
 * compared with what its observation found. Pure. Each shortfall is one sentence (the caller
 * puts "<host>: " before it) saying the fact found and the fact needed; a host with any is refused as a whole. A fact the
 * observation does not know (an older snapshot, no way to tell on the host) is never a
 * shortfall.
 */
export function checkPreconditions(
  requirements: HostRequirements,
  observed: ObservedHost,
): string[] {
  const { host, facts } = observed;
  const shortfalls = checkUnderlay(requirements.underlay, observed);
  for (const driver of requirements.drivers) {
    if (facts.drivers[driver] === false) shortfalls.push(noDriver(host, facts.kernel, driver));
  }
  if (isIproute2AtLeast(facts.iproute2, requirements.iproute2) === false) {
    shortfalls.push(iproute2TooOld(host, facts.iproute2, requirements.iproute2));
  }
  const birdRuns = observed.state.services.some((s) => s.name === "bird" && s.running);
  if (requirements.bird && facts.bird === false && !birdRuns) {
    shortfalls.push(
      `no bird on its PATH, and mode bgp runs BIRD 2 there to announce the ` +
        `host's block: install it (Debian: apt-get install bird2).`,
    );
  }
  return shortfalls;
}

/** The underlay facts come from the observed links and addresses of the host's own namespace. */
function checkUnderlay(underlay: UnderlayRequirement, observed: ObservedHost): string[] {
  const { host, state } = observed;
  const name = underlay.interface;
  const link = state.root.links.find((candidate) => candidate.name === name);
  if (link === undefined) return [noInterface(underlay, observed)];
  const shortfalls: string[] = [];
  if (!link.up) {
    shortfalls.push(
      `the underlay interface ${name} is down, so no overlay packet can leave the ` +
        `host: bring it up (ip link set ${name} up).`,
    );
  }
  if (link.noarp === true) {
    // Measured on vxlan and bgp labs: with arp off on the underlay no packet reaches a peer.
    shortfalls.push(
      `the underlay interface ${name} has ARP off (flag NOARP), so it neither resolves its ` +
        `peers' MACs nor answers their requests, and no packet reaches a peer: turn it on ` +
        `(ip link set ${name} arp on).`,
    );
  }
  for (const declared of [underlay, ...(underlay.v6 === undefined ? [] : [underlay.v6])]) {
    const shortfall = checkDeclaredAddress(name, host, declared, state.root.addresses);
    if (shortfall !== undefined) shortfalls.push(shortfall);
  }
  if (link.mtu < underlay.mtu) {
    const fits = link.mtu - underlay.overhead;
    const encapsulation =
      underlay.overhead === 0 ? "" : ` + ${underlay.overhead} bytes of ${underlay.mode}`;
    shortfalls.push(
      `the underlay interface ${name} has MTU ${link.mtu}, but the overlay needs ` +
        `${underlay.mtu} (overlay MTU ${underlay.overlayMtu}${encapsulation}); the largest ` +
        `overlay MTU ${name} carries is ${fits}: set cluster.mtu to ${link.mtu} or less, ` +
        `or raise ${name}'s MTU to ${underlay.mtu}.`,
    );
  }
  return shortfalls;
}

/**
 * Whether the underlay interface `name` holds the declared address of one family (the IPv4
 * one, or a dual-stack host's IPv6 one), usable: an IPv6 address whose Duplicate Address
 * Detection failed is held but never used by the kernel (measured on a veth pair: the second
 * holder's copy reads `dadfailed`, and no packet leaves from it). A `tentative` address is not
 * judged: DAD ends by itself within a second or two (one probe, `retrans_time` 1 s), and
 * netplan-k compares addresses without their DAD flags (docs/kernel-layout.md, "DAD").
 */
function checkDeclaredAddress(
  name: string,
  host: string,
  { address, prefix }: { readonly address: string; readonly prefix: number },
  addresses: readonly Address[],
): string | undefined {
  const family = address.includes(":") ? "IPv6" : "IPv4";
  const declared = `${address}/${prefix}`;
  const onDev = addresses.filter(
    (candidate) => candidate.dev === name && candidate.cidr.includes(":") === (family === "IPv6"),
  );
  const held = onDev.find((candidate) => candidate.cidr === declared);
  if (held === undefined) {
    const found =
      onDev.length === 0
        ? `holds no ${family} address`
        : `holds ${onDev.map((candidate) => candidate.cidr).join(", ")}`;
    return (
      `the underlay interface ${name} ${found}, but the topology gives it ` +
      `${declared}, the address every peer sends ${host}'s traffic to: give ${name} ` +
      `that address again, or change hosts[].address.`
    );
  }
  if (held.dadFailed !== true) return undefined;
  return (
    `the underlay interface ${name} holds ${declared}, but its Duplicate Address Detection ` +
    `failed (dadfailed: another machine on the link holds it), so the kernel neither sends ` +
    `from it nor accepts packets for it: free the address on the other machine, then add it ` +
    `again (ip address del ${declared} dev ${name}; ip address add ${declared} dev ${name}), ` +
    `or change hosts[].address.`
  );
}

function noInterface(underlay: UnderlayRequirement, observed: ObservedHost): string {
  const { links, addresses } = observed.state.root;
  const name = underlay.interface;
  const candidates = links
    .filter((link) => link.name !== "lo" && ownerOfAlias(link.alias) === undefined)
    .map((link) => link.name);
  const has = candidates.length === 0 ? "no other interface" : candidates.join(", ");
  const holder = addresses.find((address) => address.cidr.startsWith(`${underlay.address}/`));
  const which =
    holder === undefined
      ? "the interface that holds the host's address"
      : `${holder.dev}, which holds ${holder.cidr}`;
  return (
    `no underlay interface ${name} (it has ${has}); the topology routes the ` +
    `cluster over ${name}: set hosts[].interface (or defaults.interface) to ${which}.`
  );
}

/** What each driver is for, in the words of a refusal. */
const DRIVER_USES: Readonly<Record<Exclude<KernelDriver, "ipip">, string>> = {
  bridge: "the bridge cni0 of attach bridge",
  veth: "the workloads' veth pairs",
  vxlan: "the VTEP of mode vxlan",
};

function noDriver(host: string, kernel: string, driver: KernelDriver): string {
  // The ipip refusal predates the other drivers and is quoted in the README: kept word for word.
  if (driver === "ipip") {
    return (
      `the kernel of ${host} has no ipip driver (ip link add type ipip: Unknown device type); ` +
      `mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.`
    );
  }
  const which = kernel === "" ? "" : ` (${kernel})`;
  return (
    `the kernel of ${host}${which} has no ${driver} driver, which netplan-k needs for ` +
    `${DRIVER_USES[driver]}: load or install the ${driver} module on ${host}.`
  );
}
