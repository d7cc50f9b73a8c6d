import type { Link } from "../../src/model/index.js";
import { describe, expect, it } from "vitest";
import type { HostState } from "../../src/model/index.js";
import { fileHeader, ownerAlias } from "../../src/model/index.js";
import {
  ALIAS,
  birdConf,
  desiredVxlanHost,
  diff,
  hostState,
  link,
  listChanges,
  net,
  observedVxlanHost,
  PEER_MAC,
  redNamespace,
  route,
  TOPOLOGY,
  underlay,
  VETH,
  vtep,
  VXLAN,
} from "./states.js";

const empty = hostState();

const withRoot = (state: HostState, root: Partial<HostState["root"]>): HostState => ({
  ...state,
  root: { ...state.root, ...root },
});

describe("diffHost: creates on an empty host", () => {
  const { changes, conflicts } = diff(desiredVxlanHost(), empty);

  it("creates everything, in dependency order", () => {
    expect(conflicts).toEqual([]);
    expect(listChanges(changes)).toEqual([
      "create namespace red",
      "create link cni0",
      "create link flannel.1",
      `create link ${VETH}`,
      "update link [red] eth0",
      "update link [red] lo",
      "create address cni0/10.244.1.1/24",
      "create address flannel.1/10.244.1.0/32",
      "create address [red] eth0/10.244.1.2/24",
      "create neighbour flannel.1/10.244.2.0",
      `create fdb flannel.1/${PEER_MAC}`,
      "create route 254/10.244.2.0/24/0",
      "create route [red] 254/0.0.0.0/0/0",
      "create sysctl net.ipv4.ip_forward",
    ]);
  });

  it("says why: missing, or what the fresh namespace's links are created with", () => {
    const reasons = changes.map((change) => change.reason);
    expect(reasons).toContain("route 10.244.2.0/24: missing");
    expect(reasons).toContain(`link eth0: created with link ${VETH}`);
    expect(reasons).toContain("link lo: created with namespace red");
    expect(changes.every((change) => !change.disruptive)).toBe(true);
  });

  it("keeps the desired object as `after` and has no `before` for creates", () => {
    const vxlanCreate = changes.find((change) => change.key === "flannel.1");
    expect(vxlanCreate).toEqual({
      kind: "link",
      action: "create",
      key: "flannel.1",
      after: vtep(),
      reason: "link flannel.1: missing",
      disruptive: false,
    });
  });
});

describe("diffHost: idempotence", () => {
  it("finds nothing to do when the host holds the desired state plus kernel additions", () => {
    expect(diff(desiredVxlanHost(), observedVxlanHost())).toEqual({ changes: [], conflicts: [] });
  });

  it("finds nothing to do on an empty host that should stay empty", () => {
    expect(diff(empty, empty)).toEqual({ changes: [], conflicts: [] });
  });
});

describe("diffHost: updates in place", () => {
  const observed = observedVxlanHost();

  it("updates link fields, listing each one", () => {
    const drifted = withRoot(observed, {
      links: observed.root.links.map((l) =>
        l.name === "cni0" ? { ...l, mtu: 1500, up: false } : l,
      ),
    });
    const { changes } = diff(desiredVxlanHost(), drifted);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      kind: "link",
      action: "update",
      key: "cni0",
      reason: "link cni0: mtu 1500 → 1450, state down → up",
      disruptive: false,
    });
  });

  it("detaches an owned link from a master the topology no longer wants", () => {
    const desired = hostState({ root: net({ links: [link(VETH)] }) });
    const found = hostState({
      root: net({ links: [link("cni0", { kind: "bridge" }), link(VETH, { master: "cni0" })] }),
    });
    const { changes } = diff(desired, found);
    expect(changes.map((change) => change.reason)).toEqual([
      `link ${VETH}: master cni0 → (none)`,
      "link cni0: not in the topology",
    ]);
    expect(changes[0]?.disruptive).toBe(true);
  });

  it("updates a route with ip route replace semantics", () => {
    const drifted = withRoot(observed, {
      routes: observed.root.routes.map((r) =>
        r.dst === "10.244.2.0/24" ? { ...r, via: "10.244.9.0", onlink: false } : r,
      ),
    });
    const { changes } = diff(desiredVxlanHost(), drifted);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.reason).toBe(
      "route 10.244.2.0/24: via 10.244.9.0 → 10.244.2.0, onlink false → true",
    );
    expect(changes[0]?.action).toBe("update");
  });

  it("updates a neighbour's lladdr and state", () => {
    const drifted = withRoot(observed, {
      neighbours: observed.root.neighbours.map((n) =>
        n.dst === "10.244.2.0" ? { ...n, lladdr: "0e:00:00:00:00:99", permanent: false } : n,
      ),
    });
    const { changes } = diff(desiredVxlanHost(), drifted);
    expect(changes.map((change) => change.reason)).toEqual([
      `neighbour 10.244.2.0 on flannel.1: lladdr 0e:00:00:00:00:99 → ${PEER_MAC}, permanent false → true`,
    ]);
  });

  it("sets a sysctl, and creates one the host does not show yet", () => {
    const desired = hostState({
      sysctls: [
        { key: "net.ipv4.ip_forward", value: "1" },
        { key: `net.ipv4.conf.${VETH}.proxy_arp`, value: "1" },
      ],
    });
    const { changes } = diff(
      desired,
      hostState({ sysctls: [{ key: "net.ipv4.ip_forward", value: "0" }] }),
    );
    expect(listChanges(changes)).toEqual([
      `create sysctl net.ipv4.conf.${VETH}.proxy_arp`,
      "update sysctl net.ipv4.ip_forward",
    ]);
    expect(changes[1]?.reason).toBe("sysctl net.ipv4.ip_forward: value 0 → 1");
  });

  it("updates an owned file's content and starts its stopped service", () => {
    const service = { name: "bird", running: true, configPath: "/etc/bird/bird.conf" } as const;
    const desired = hostState({
      files: [{ path: "/etc/bird/bird.conf", content: birdConf }],
      services: [service],
    });
    const found = hostState({
      files: [{ path: "/etc/bird/bird.conf", content: `${fileHeader(TOPOLOGY)}\nold\n` }],
      services: [{ ...service, running: false }],
    });
    const { changes, conflicts } = diff(desired, found);
    expect(conflicts).toEqual([]);
    expect(changes.map((change) => change.reason)).toEqual([
      "file /etc/bird/bird.conf: content differs",
      "service bird: state stopped → running",
    ]);
  });

  it("creates a bgp host's blackhole route, configuration file, then service", () => {
    const service = { name: "bird", running: true, configPath: "/etc/bird/bird.conf" } as const;
    const desired = hostState({
      root: net({ routes: [route("10.244.1.0/24", { type: "blackhole", metric: 1024 })] }),
      files: [{ path: "/etc/bird/bird.conf", content: birdConf }],
      services: [service],
    });
    const { changes } = diff(desired, empty);
    expect(listChanges(changes)).toEqual([
      "create route 254/10.244.1.0/24/1024",
      "create file /etc/bird/bird.conf",
      "create service bird",
    ]);
    expect(changes[0]?.reason).toBe("route 10.244.1.0/24 metric 1024: missing");
  });

  it("compares MACs regardless of case", () => {
    const desired = hostState({ root: net({ links: [vtep({ mac: "0E:00:00:00:00:01" })] }) });
    expect(diff(desired, hostState({ root: net({ links: [vtep()] }) })).changes).toEqual([]);
  });
});

describe("diffHost: recreate what the kernel cannot change", () => {
  it("replaces a VTEP whose VNI changed, and recreates what lived on it", () => {
    const observed = observedVxlanHost();
    const drifted = withRoot(observed, {
      links: observed.root.links.map((l) =>
        l.name === "flannel.1" ? { ...l, vxlan: { ...VXLAN, id: 2 } } : l,
      ),
    });
    const desired = desiredVxlanHost();
    const { changes } = diff(desired, drifted);
    expect(listChanges(changes)).toEqual([
      "replace link flannel.1",
      "create address flannel.1/10.244.1.0/32",
      "create neighbour flannel.1/10.244.2.0",
      `create fdb flannel.1/${PEER_MAC}`,
      "create route 254/10.244.2.0/24/0",
    ]);
    expect(changes[0]).toMatchObject({
      reason: "link flannel.1: vxlan id 2 → 1, must be recreated (disruptive)",
      disruptive: true,
      after: vtep(),
    });
    expect(changes[0]?.before).toMatchObject({ vxlan: { id: 2 } });
  });

  it("replaces a link whose kind changed and re-attaches the ports of a recreated bridge", () => {
    const desired = hostState({
      root: net({ links: [link("cni0", { kind: "bridge" }), link(VETH, { master: "cni0" })] }),
    });
    const found = hostState({
      root: net({ links: [link("cni0", { kind: "dummy" }), link(VETH, { master: "cni0" })] }),
    });
    const { changes } = diff(desired, found);
    expect(listChanges(changes)).toEqual(["replace link cni0", `update link ${VETH}`]);
    expect(changes.map((change) => change.reason)).toEqual([
      "link cni0: kind dummy → bridge, must be recreated (disruptive)",
      `link ${VETH}: master (none) → cni0`,
    ]);
  });

  it("replaces a veth whose namespace end is missing, and sets up the new end", () => {
    const observed = observedVxlanHost();
    const red = observed.namespaces[0]!;
    const broken: HostState = {
      ...observed,
      namespaces: [
        {
          ...red,
          net: {
            ...red.net,
            links: red.net.links.filter((l) => l.name !== "eth0"),
            addresses: red.net.addresses.filter((a) => a.dev !== "eth0"),
            routes: red.net.routes.filter((r) => r.dev !== "eth0"),
            neighbours: [],
          },
        },
      ],
    };
    const { changes } = diff(desiredVxlanHost(), broken);
    expect(listChanges(changes)).toEqual([
      `replace link ${VETH}`,
      "update link [red] eth0",
      "create address [red] eth0/10.244.1.2/24",
      "create route [red] 254/0.0.0.0/0/0",
    ]);
    expect(changes[0]?.reason).toBe(
      `link ${VETH}: its other end eth0 in namespace red is missing, must be recreated (disruptive)`,
    );
  });
});

describe("diffHost: deletes", () => {
  it("deletes an owned link alone: its addresses, routes, neighbours and fdb go with it", () => {
    const desired = hostState({ root: net({ links: [underlay] }) });
    const observed = observedVxlanHost();
    const found = withRoot(observed, {
      links: observed.root.links.filter((l) => l.name !== "cni0" && l.name !== VETH),
      addresses: observed.root.addresses.filter((a) => a.dev !== "cni0"),
      routes: observed.root.routes.filter((r) => r.dev !== "cni0"),
      neighbours: observed.root.neighbours.filter((n) => n.dev !== "cni0"),
    });
    const { changes } = diff({ ...desired, sysctls: found.sysctls }, { ...found, namespaces: [] });
    expect(listChanges(changes)).toEqual(["delete link flannel.1"]);
    expect(changes[0]).toMatchObject({
      reason: "link flannel.1: not in the topology",
      disruptive: true,
    });
  });

  it("deletes an owned namespace as a whole, and the veth leading into it", () => {
    const desired = desiredVxlanHost();
    const { changes } = diff(
      {
        ...desired,
        root: { ...desired.root, links: desired.root.links.filter((l) => l.name !== VETH) },
        namespaces: [],
      },
      observedVxlanHost(),
    );
    expect(listChanges(changes)).toEqual([`delete link ${VETH}`, "delete namespace red"]);
    expect(changes.every((change) => change.disruptive)).toBe(true);
  });

  it("deletes owned objects in reverse dependency order, after creates", () => {
    const service = { name: "bird", running: true, configPath: "/etc/bird/bird.conf" } as const;
    const desired = hostState({ root: net({ links: [link("cni0", { kind: "bridge" })] }) });
    const found = hostState({
      root: net({
        links: [
          underlay,
          link("cni0", { kind: "bridge" }),
          link("br9", { kind: "bridge" }),
          link(VETH, { master: "br9" }),
        ],
        addresses: [{ dev: "cni0", cidr: "10.244.1.1/24" }],
        routes: [
          route("10.244.3.0/24", { via: "192.168.64.7", dev: "eth0" }),
          route("10.244.1.0/24", { type: "blackhole", metric: 1024 }),
        ],
        neighbours: [{ dev: "cni0", dst: "10.244.1.9", lladdr: PEER_MAC, permanent: true }],
      }),
      namespaces: [{ ...redNamespace(), net: net() }],
      files: [{ path: "/etc/bird/bird.conf", content: birdConf }],
      services: [service],
    });
    const { changes } = diff(
      { ...desired, namespaces: [{ name: "blue", owner: TOPOLOGY, net: net() }] },
      found,
    );
    expect(listChanges(changes)).toEqual([
      "create namespace blue",
      "delete service bird",
      "delete file /etc/bird/bird.conf",
      "delete route 254/10.244.1.0/24/1024",
      "delete route 254/10.244.3.0/24/0",
      // The neighbour on cni0 goes with cni0's last address.
      "delete address cni0/10.244.1.1/24",
      `delete link ${VETH}`,
      "delete link br9",
      "delete namespace red",
    ]);
    const disruptive = Object.fromEntries(changes.map((c) => [c.key, c.disruptive]));
    expect(disruptive).toMatchObject({
      bird: true,
      "254/10.244.1.0/24/1024": false,
      "254/10.244.3.0/24/0": true,
    });
  });

  it("deletes stale neighbour and fdb entries on a link that stays", () => {
    const desired = hostState({ root: net({ links: [vtep()] }) });
    const found = hostState({
      root: net({
        links: [vtep()],
        neighbours: [{ dev: "flannel.1", dst: "10.244.5.0", lladdr: PEER_MAC, permanent: true }],
        fdb: [{ dev: "flannel.1", mac: PEER_MAC, dst: "192.168.64.9" }],
      }),
    });
    expect(listChanges(diff(desired, found).changes)).toEqual([
      "delete neighbour flannel.1/10.244.5.0",
      `delete fdb flannel.1/${PEER_MAC}`,
    ]);
  });

  // c01 (../shared/cases/real-hosts): the peer's underlay address moved. One MAC, one
  // destination: an update (fdb replace), never a create next to a delete.
  it("updates the destination of a peer's fdb entry in place", () => {
    const desired = hostState({
      root: net({
        links: [vtep()],
        fdb: [{ dev: "flannel.1", mac: PEER_MAC, dst: "192.168.64.9" }],
      }),
    });
    const found = hostState({
      root: net({
        links: [vtep()],
        fdb: [{ dev: "flannel.1", mac: PEER_MAC, dst: "192.168.64.6" }],
      }),
    });
    const { changes } = diff(desired, found);
    expect(listChanges(changes)).toEqual([`update fdb flannel.1/${PEER_MAC}`]);
    expect(changes[0]?.reason).toBe(
      `fdb ${PEER_MAC} dst 192.168.64.9 on flannel.1: dst 192.168.64.6 → 192.168.64.9`,
    );
  });

  it("keeps every destination of a flood MAC as its own entry", () => {
    const flood = (dst: string) => ({ dev: "flannel.1", mac: "00:00:00:00:00:00", dst });
    const desired = hostState({ root: net({ links: [vtep()], fdb: [flood("192.168.64.9")] }) });
    const found = hostState({ root: net({ links: [vtep()], fdb: [flood("192.168.64.6")] }) });
    expect(listChanges(diff(desired, found).changes)).toEqual([
      "create fdb flannel.1/00:00:00:00:00:00/192.168.64.9",
      "delete fdb flannel.1/00:00:00:00:00:00/192.168.64.6",
    ]);
  });

  // Found by the apply property test: a stray address on a routed veth. Removing a device's
  // last address removes its routes and neighbours; they are written again after it.
  it("writes a device's routes and neighbours again after deleting its last address", () => {
    const hostRoute = route("10.244.1.2/32", { dev: VETH, scope: "link" });
    const neighbour = { dev: VETH, dst: "10.244.1.2", lladdr: PEER_MAC, permanent: true };
    const veth = link(VETH);
    const desired = hostState({
      root: net({ links: [veth], routes: [hostRoute], neighbours: [neighbour] }),
    });
    const found = hostState({
      root: net({
        links: [veth],
        addresses: [{ dev: VETH, cidr: "10.244.200.7/32" }],
        routes: [hostRoute],
        neighbours: [neighbour],
      }),
    });
    expect(listChanges(diff(desired, found).changes)).toEqual([
      `delete address ${VETH}/10.244.200.7/32`,
      `create neighbour ${VETH}/10.244.1.2`,
      "create route 254/10.244.1.2/32/0",
    ]);
  });

  it("never deletes a sysctl, and leaves a stopped service nobody asks for alone", () => {
    const found = hostState({
      sysctls: [{ key: "net.ipv4.ip_forward", value: "1" }],
      services: [{ name: "bird", running: false, configPath: "/etc/bird/bird.conf" }],
    });
    expect(diff(empty, found).changes).toEqual([]);
  });
});

describe("diffHost: what is not the topology's is never touched", () => {
  it("leaves foreign routes, links, namespaces, neighbours, fdb entries and files alone", () => {
    const found = hostState({
      root: net({
        links: [
          underlay,
          link("docker0", { kind: "bridge", alias: undefined }),
          link("flannel.7", { kind: "vxlan", alias: ownerAlias("other") }),
        ],
        addresses: [{ dev: "docker0", cidr: "172.17.0.1/16" }],
        routes: [
          route("10.9.0.0/16", { via: "192.168.64.1", dev: "eth0", protocol: 4 }),
          route("10.244.9.0/24", { via: "192.168.64.9", dev: "eth0", protocol: 12 }),
        ],
        neighbours: [{ dev: "eth0", dst: "192.168.64.9", lladdr: PEER_MAC, permanent: true }],
        fdb: [{ dev: "flannel.7", mac: PEER_MAC, dst: "192.168.64.6" }],
      }),
      namespaces: [
        { name: "foreign", net: net() },
        { name: "theirs", owner: "other", net: net() },
      ],
      files: [{ path: "/etc/bird/bird.conf", content: "router id 1.2.3.4;\n" }],
    });
    expect(diff(empty, found)).toEqual({ changes: [], conflicts: [] });
  });

  it("leaves another topology's proto 77 route outside the cluster CIDR alone", () => {
    const theirs = route("10.96.2.0/24", { via: "192.168.64.6", dev: "eth0" });
    const desired = hostState({
      root: net({ routes: [route("10.244.2.0/24", { via: "192.168.64.6", dev: "eth0" })] }),
    });
    const { changes } = diff(desired, hostState({ root: net({ routes: [theirs] }) }));
    expect(listChanges(changes)).toEqual(["create route 254/10.244.2.0/24/0"]);
  });

  it("ignores kernel routes and other tables unless a desired route has their key", () => {
    const found = hostState({
      root: net({
        routes: [
          route("10.244.1.0/24", { dev: "cni0", protocol: 2, scope: "link" }),
          route("10.244.7.0/24", { dev: "cni0", table: 255, type: "local" }),
          route("10.244.8.0/24", { dev: "cni0", table: 100 }),
        ],
      }),
    });
    expect(diff(empty, found).changes).toEqual([]);
    const desired = hostState({
      root: net({ routes: [route("10.244.1.0/24", { dev: "cni0", scope: "link" })] }),
    });
    expect(diff(desired, found).conflicts).toEqual([
      {
        kind: "route",
        key: "254/10.244.1.0/24/0",
        reason:
          "route 10.244.1.0/24 exists with proto kernel dev cni0 and is not netplan-k's; remove it or change the topology",
      },
    ]);
  });
});

describe("diffHost: conflicts", () => {
  it("reports a foreign route in the way", () => {
    const desired = hostState({
      root: net({
        routes: [route("10.244.2.0/24", { via: "10.244.2.0", dev: "flannel.1", onlink: true })],
      }),
    });
    const found = hostState({
      root: net({
        routes: [route("10.244.2.0/24", { via: "10.0.0.9", dev: "eth0", protocol: 4 })],
      }),
    });
    expect(diff(desired, found)).toEqual({
      changes: [],
      conflicts: [
        {
          kind: "route",
          key: "254/10.244.2.0/24/0",
          reason:
            "route 10.244.2.0/24 exists with proto static via 10.0.0.9 and is not netplan-k's; remove it or change the topology",
        },
      ],
    });
  });

  it("names another topology's proto 77 route when it has the key of a desired one", () => {
    const desired = hostState({ root: net({ routes: [route("10.96.2.0/24", { dev: "eth0" })] }) });
    const found = hostState({
      root: net({ routes: [route("10.96.2.0/24", { via: "192.168.64.6", dev: "eth0" })] }),
    });
    expect(diff(desired, found).conflicts[0]?.reason).toBe(
      "route 10.96.2.0/24 exists with proto 77 via 192.168.64.6 and lies outside cluster CIDR 10.244.0.0/16, so it belongs to another netplan-k topology; remove it or change the topology",
    );
  });

  it("reports a foreign link, and the objects on it, in the way", () => {
    const desired = hostState({
      root: net({
        links: [vtep()],
        addresses: [{ dev: "flannel.1", cidr: "10.244.1.0/32" }],
        neighbours: [{ dev: "flannel.1", dst: "10.244.2.0", lladdr: PEER_MAC, permanent: true }],
        fdb: [{ dev: "flannel.1", mac: PEER_MAC, dst: "192.168.64.6" }],
      }),
    });
    const found = hostState({
      root: net({
        links: [vtep({ alias: ownerAlias("other") })],
        addresses: [{ dev: "flannel.1", cidr: "10.244.1.0/32" }],
        neighbours: [{ dev: "flannel.1", dst: "10.244.2.0", lladdr: PEER_MAC, permanent: true }],
        fdb: [{ dev: "flannel.1", mac: PEER_MAC, dst: "192.168.64.6" }],
      }),
    });
    const { changes, conflicts } = diff(desired, found);
    expect(changes).toEqual([]);
    expect(conflicts.map((conflict) => conflict.reason)).toEqual([
      "link flannel.1 exists (kind vxlan, alias netplan-k:other) and belongs to netplan-k topology other; remove it (ip link del flannel.1) or change the topology",
      "address 10.244.1.0/32 on flannel.1 exists on a link netplan-k does not own; remove it (ip address del 10.244.1.0/32 dev flannel.1) or change the topology",
      "neighbour 10.244.2.0 on flannel.1 exists on a link netplan-k does not own; remove it (ip neigh del 10.244.2.0 dev flannel.1) or change the topology",
      `fdb ${PEER_MAC} dst 192.168.64.6 on flannel.1 exists on a link netplan-k does not own; remove it (bridge fdb del ${PEER_MAC} dev flannel.1 dst 192.168.64.6 self) or change the topology`,
    ]);
  });

  it("reports a link without alias as not netplan-k's", () => {
    const desired = hostState({ root: net({ links: [link("cni0", { kind: "bridge" })] }) });
    const found = hostState({
      root: net({ links: [link("cni0", { kind: "bridge", alias: undefined })] }),
    });
    expect(diff(desired, found).conflicts[0]?.reason).toBe(
      "link cni0 exists (kind bridge, no alias) and is not netplan-k's; remove it (ip link del cni0) or change the topology",
    );
  });

  it("reports a workload namespace that is not the topology's, and leaves its contents alone", () => {
    const found = hostState({
      namespaces: [
        { name: "red", net: net({ links: [{ name: "lo", kind: "", mtu: 65536, up: false }] }) },
      ],
    });
    const { changes, conflicts } = diff(hostState({ namespaces: [redNamespace()] }), found);
    expect(changes).toEqual([]);
    expect(conflicts).toEqual([
      {
        kind: "namespace",
        key: "red",
        reason:
          "namespace red exists and is not netplan-k's (its lo does not carry the alias of topology demo); remove it (ip netns del red) or rename the workload",
      },
    ]);
  });

  it("reports a configuration file netplan-k did not write, and the service using it", () => {
    const service = { name: "bird", running: true, configPath: "/etc/bird/bird.conf" } as const;
    const desired = hostState({
      files: [{ path: "/etc/bird/bird.conf", content: birdConf }],
      services: [service],
    });
    const found = hostState({
      files: [{ path: "/etc/bird/bird.conf", content: "# Debian default\nrouter id 1.2.3.4;\n" }],
      services: [service],
    });
    const { changes, conflicts } = diff(desired, found);
    expect(changes).toEqual([]);
    expect(conflicts.map((conflict) => conflict.reason)).toEqual([
      "file /etc/bird/bird.conf exists and is not netplan-k's (its first line is not netplan-k's header for topology demo); move it away or change the topology",
      "service bird uses /etc/bird/bird.conf, which netplan-k did not write for topology demo; move the file away and stop bird, or change the topology",
    ]);
  });

  it("treats another topology's file as foreign", () => {
    const desired = hostState({ files: [{ path: "/etc/bird/bird.conf", content: birdConf }] });
    const found = hostState({
      files: [{ path: "/etc/bird/bird.conf", content: `${fileHeader("other")}\n` }],
    });
    expect(diff(desired, found).conflicts[0]?.reason).toMatch(
      /^file \/etc\/bird\/bird.conf exists and belongs to netplan-k topology other /,
    );
  });
});

describe("diffHost: tunl0", () => {
  const desired = hostState({
    root: net({
      links: [link("tunl0", { kind: "ipip", mtu: 1480 })],
      addresses: [{ dev: "tunl0", cidr: "10.244.1.0/32" }],
    }),
  });

  it("adopts the kernel's fallback device by setting its alias", () => {
    const found = hostState({
      root: net({ links: [{ name: "tunl0", kind: "ipip", mtu: 1480, up: false }] }),
    });
    const { changes, conflicts } = diff(desired, found);
    expect(conflicts).toEqual([]);
    expect(listChanges(changes)).toEqual([
      "update link tunl0",
      "create address tunl0/10.244.1.0/32",
    ]);
    // The alias records how tunl0 was found, so that destroy can hand it back so.
    expect(changes[0]?.reason).toBe(
      `link tunl0: state down → up, alias (none) → ${ALIAS}:was-down-mtu-1480`,
    );
  });

  it("keeps the record of an adopted tunl0, and a foreign address on it, untouched", () => {
    const adopted = hostState({
      root: net({
        links: [link("tunl0", { kind: "ipip", mtu: 1480, alias: `${ALIAS}:was-up-mtu-1480` })],
        addresses: [
          { dev: "tunl0", cidr: "10.244.1.0/32" },
          { dev: "tunl0", cidr: "203.0.113.80/32" },
        ],
      }),
    });
    expect(diff(desired, adopted)).toEqual({ changes: [], conflicts: [] });
  });

  it("creates a missing tunl0 with the record of how the module leaves it: down, 1480", () => {
    const { changes } = diff(desired, hostState());
    expect(changes.find((c) => c.key === "tunl0")?.after).toEqual(
      link("tunl0", { kind: "ipip", mtu: 1480, alias: `${ALIAS}:was-down-mtu-1480` }),
    );
  });

  it("does not adopt a tunl0 another topology owns", () => {
    const found = hostState({
      root: net({
        links: [link("tunl0", { kind: "ipip", mtu: 1480, alias: ownerAlias("other") })],
      }),
    });
    expect(diff(desired, found).conflicts.map((c) => c.key)).toEqual(["tunl0"]);
  });

  it("leaves the fallback tunl0 the kernel puts in every workload namespace alone", () => {
    const fallback: Link = { name: "tunl0", kind: "ipip", mtu: 1480, up: false };
    const red = redNamespace();
    const withFallback = { ...red, net: { ...red.net, links: [...red.net.links, fallback] } };
    const wanted = hostState({ namespaces: [red] });
    expect(diff(wanted, hostState({ namespaces: [withFallback] })).changes).toEqual([]);
  });

  it("deletes only its own objects on an adopted tunl0 it no longer wants; the device stays", () => {
    const adopted = hostState({
      root: net({
        links: [link("tunl0", { kind: "ipip", mtu: 1480 })],
        addresses: [
          { dev: "tunl0", cidr: "10.244.1.0/32" },
          { dev: "tunl0", cidr: "203.0.113.80/32" },
        ],
        routes: [
          route("10.244.2.0/24", { via: "192.168.64.6", dev: "tunl0", onlink: true }),
          route("198.51.100.0/24", { dev: "tunl0", protocol: 4 }),
        ],
      }),
    });
    const { changes, conflicts } = diff(hostState(), adopted);
    expect(conflicts).toEqual([]);
    expect(listChanges(changes)).toEqual([
      "delete route 254/10.244.2.0/24/0",
      "delete address tunl0/10.244.1.0/32",
      "delete link tunl0",
    ]);
  });
});
