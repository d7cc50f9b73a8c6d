import { describe, expect, it } from "vitest";
import type {
  HostFacts,
  HostRequirements,
  HostState,
  ObservedHost,
} from "../../src/model/index.js";
import { MINIMUM_IPROUTE2 } from "../../src/model/index.js";
import { checkPreconditions } from "../../src/planner/check-preconditions.js";
import { link, observedVxlanHost } from "./states.js";

const requirements: HostRequirements = {
  underlay: {
    interface: "eth0",
    address: "192.168.64.5",
    prefix: 24,
    mtu: 1500,
    overlayMtu: 1450,
    overhead: 50,
    mode: "vxlan",
  },
  drivers: ["bridge", "veth", "vxlan"],
  iproute2: MINIMUM_IPROUTE2,
  bird: false,
};

const facts: HostFacts = {
  drivers: { bridge: true, veth: true, vxlan: true, ipip: false },
  iproute2: "iproute2-6.1.0",
  kernel: "6.1.0-28-amd64",
  bird: false,
};

/** The converged vxlan host of states.ts: eth0 192.168.64.5/24, MTU 1500, up, a default route. */
const observed = (state: HostState = observedVxlanHost(), more: Partial<HostFacts> = {}) =>
  ({ host: "node-a", state, facts: { ...facts, ...more } }) satisfies ObservedHost;

/** The observed host with its root links and addresses edited. */
function editRoot(edit: (root: HostState["root"]) => Partial<HostState["root"]>): HostState {
  const state = observedVxlanHost();
  return { ...state, root: { ...state.root, ...edit(state.root) } };
}

const withUnderlay = (fields: Parameters<typeof link>[1]): HostState =>
  editRoot((root) => ({
    links: root.links.map((l) => (l.name === "eth0" ? { ...l, ...fields } : l)),
  }));

describe("checkPreconditions", () => {
  it("finds nothing short on a host that meets every need", () => {
    expect(checkPreconditions(requirements, observed())).toEqual([]);
  });

  it("a host that looks like a real one is not refused: DHCP address, docker0, daemon routes", () => {
    const state = editRoot((root) => ({
      links: [...root.links, link("docker0", { kind: "bridge", mtu: 1500 })],
      addresses: [
        ...root.addresses,
        { dev: "eth0", cidr: "192.168.64.77/24" },
        { dev: "eth0", cidr: "fe80::1/64" },
        { dev: "docker0", cidr: "172.17.0.1/16" },
      ],
    }));
    expect(checkPreconditions(requirements, observed(state))).toEqual([]);
  });

  it("names the interfaces a host has when the underlay interface is missing", () => {
    const state = editRoot((root) => ({
      links: root.links.map((l) => (l.name === "eth0" ? { ...l, name: "ens3" } : l)),
      addresses: root.addresses.map((a) => (a.dev === "eth0" ? { ...a, dev: "ens3" } : a)),
    }));
    expect(checkPreconditions(requirements, observed(state))).toEqual([
      "no underlay interface eth0 (it has ens3); the topology routes the cluster over eth0: set hosts[].interface (or defaults.interface) to ens3, which holds 192.168.64.5/24.",
    ]);
  });

  it("says what to set when no interface holds the address either", () => {
    const state = editRoot((root) => ({
      links: root.links.filter((l) => l.name !== "eth0"),
      addresses: root.addresses.filter((a) => a.dev !== "eth0"),
    }));
    expect(checkPreconditions(requirements, observed(state))).toEqual([
      "no underlay interface eth0 (it has no other interface); the topology routes the cluster over eth0: set hosts[].interface (or defaults.interface) to the interface that holds the host's address.",
    ]);
  });

  it("refuses an underlay interface that is down", () => {
    expect(checkPreconditions(requirements, observed(withUnderlay({ up: false })))).toEqual([
      "the underlay interface eth0 is down, so no overlay packet can leave the host: bring it up (ip link set eth0 up).",
    ]);
  });

  it("refuses an underlay interface without the declared address, saying what it holds", () => {
    const gone = editRoot((root) => ({
      addresses: root.addresses.filter((a) => a.dev !== "eth0"),
    }));
    expect(checkPreconditions(requirements, observed(gone))).toEqual([
      "the underlay interface eth0 holds no IPv4 address, but the topology gives it 192.168.64.5/24, the address every peer sends node-a's traffic to: give eth0 that address again, or change hosts[].address.",
    ]);
    const moved = editRoot((root) => ({
      addresses: root.addresses.map((a) =>
        a.dev === "eth0" ? { ...a, cidr: "192.168.64.42/24" } : a,
      ),
    }));
    expect(checkPreconditions(requirements, observed(moved))).toEqual([
      "the underlay interface eth0 holds 192.168.64.42/24, but the topology gives it 192.168.64.5/24, the address every peer sends node-a's traffic to: give eth0 that address again, or change hosts[].address.",
    ]);
  });

  it("refuses an underlay MTU below overlay plus overhead, naming the largest overlay that fits", () => {
    const jumbo = { ...requirements.underlay, mtu: 9000, overlayMtu: 8950 };
    expect(checkPreconditions({ ...requirements, underlay: jumbo }, observed())).toEqual([
      "the underlay interface eth0 has MTU 1500, but the overlay needs 9000 (overlay MTU 8950 + 50 bytes of vxlan); the largest overlay MTU eth0 carries is 1450: set cluster.mtu to 1500 or less, or raise eth0's MTU to 9000.",
    ]);
    expect(checkPreconditions(requirements, observed(withUnderlay({ mtu: 1499 })))).toEqual([
      "the underlay interface eth0 has MTU 1499, but the overlay needs 1500 (overlay MTU 1450 + 50 bytes of vxlan); the largest overlay MTU eth0 carries is 1449: set cluster.mtu to 1499 or less, or raise eth0's MTU to 1500.",
    ]);
    expect(checkPreconditions(requirements, observed(withUnderlay({ mtu: 9000 })))).toEqual([]);
  });

  it("refuses each missing driver the host needs, and only those", () => {
    const noDrivers = { bridge: false, veth: false, vxlan: false, ipip: false };
    expect(checkPreconditions(requirements, observed(undefined, { drivers: noDrivers }))).toEqual([
      "the kernel of node-a (6.1.0-28-amd64) has no bridge driver, which netplan-k needs for the bridge cni0 of attach bridge: load or install the bridge module on node-a.",
      "the kernel of node-a (6.1.0-28-amd64) has no veth driver, which netplan-k needs for the workloads' veth pairs: load or install the veth module on node-a.",
      "the kernel of node-a (6.1.0-28-amd64) has no vxlan driver, which netplan-k needs for the VTEP of mode vxlan: load or install the vxlan module on node-a.",
    ]);
    const ipip = { ...requirements, drivers: ["ipip" as const] };
    expect(checkPreconditions(ipip, observed(undefined, { drivers: noDrivers }))).toEqual([
      "the kernel of node-a has no ipip driver (ip link add type ipip: Unknown device type); mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.",
    ]);
  });

  it("treats unknown facts (older snapshots) as unknown, never as failing", () => {
    const unknown: HostFacts = { drivers: {}, iproute2: "", kernel: "" };
    const bgp = { ...requirements, bird: true };
    expect(checkPreconditions(bgp, { ...observed(), facts: unknown })).toEqual([]);
  });

  it("refuses an iproute2 older than the minimum, read from either form of ip -V", () => {
    expect(
      checkPreconditions(requirements, observed(undefined, { iproute2: "iproute2-ss180129" })),
    ).toEqual([
      "node-a has iproute2-ss180129 (ip -V), but netplan-k reads the JSON output of iproute2 5.0.0 (ss190301) or newer: upgrade iproute2 on node-a.",
    ]);
    expect(
      checkPreconditions(requirements, observed(undefined, { iproute2: "iproute2-4.20.0" })),
    ).toHaveLength(1);
    expect(
      checkPreconditions(requirements, observed(undefined, { iproute2: "iproute2-ss200127" })),
    ).toEqual([]);
  });

  it("refuses bgp on a host without bird, unless bird is running there", () => {
    const bgp = { ...requirements, bird: true };
    expect(checkPreconditions(bgp, observed())).toEqual([
      "no bird on its PATH, and mode bgp runs BIRD 2 there to announce the host's block: install it (Debian: apt-get install bird2).",
    ]);
    expect(checkPreconditions(bgp, observed(undefined, { bird: true }))).toEqual([]);
    const running: HostState = {
      ...observedVxlanHost(),
      services: [{ name: "bird", running: true, configPath: "/etc/bird/bird.conf" }],
    };
    expect(checkPreconditions(bgp, observed(running))).toEqual([]);
  });
});
