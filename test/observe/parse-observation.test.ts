import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { hostVethName, vtepMac } from "../../src/modes/naming.js";
import { ObservationError } from "../../src/observe/observation-error.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { RANDOM_MAC, readFixture } from "./fixtures.js";

const assorted = readFixture("kernel/assorted/observation.txt");
const FACTS = { drivers: { ipip: false }, iproute2: "iproute2-6.1.0", kernel: expect.any(String) };

/** The message parseObservation throws for this output. */
function errorOf(output: string): string {
  try {
    parseObservation("node-a", output);
  } catch (error) {
    expect(error).toBeInstanceOf(ObservationError);
    return (error as Error).message;
  }
  throw new Error("parseObservation accepted the output");
}

/** The assorted observation with one section's body and exit line replaced. */
function withSection(name: string, body: string, exit = "@@netplan-k:exit:0"): string {
  const pattern = new RegExp(`(@@netplan-k:section:${name}\\n)[^]*?@@netplan-k:exit:\\d+`);
  expect(pattern.test(assorted)).toBe(true);
  return assorted.replace(pattern, (_match, marker: string) => `${marker}${body}\n${exit}`);
}

describe("parseObservation of the assorted fixture", () => {
  const observed = parseObservation("node-a", assorted);

  test("the host's own namespace matches the raw listings", () => {
    expect(observed.host).toBe("node-a");
    expect(observed.state.root.links.map((l) => l.name)).toEqual([
      "lo",
      "eth0",
      "flannel.1",
      "cni0",
      "vethred",
      "vethblue",
    ]);
    expect(observed.state.root.routes).toContainEqual({
      dst: "10.1.1.0/24",
      table: 254,
      type: "blackhole",
      metric: 1024,
      onlink: false,
      scope: "global",
      protocol: 77,
    });
    expect(observed.state.root.fdb).toHaveLength(3);
  });

  test("namespaces are sorted by name, owned through their lo's alias", () => {
    expect(observed.state.namespaces.map((ns) => [ns.name, ns.owner])).toEqual([
      ["blue", undefined],
      ["red", "demo"],
    ]);
    expect(observed.state.namespaces[0]).not.toHaveProperty("owner");
    // The ids the host knows them by (ip -j netns list), which its veths' other ends name.
    expect(observed.state.namespaces.map((ns) => ns.nsid)).toEqual([2, 1]);
    const red = observed.state.namespaces[1]?.net;
    expect(red?.links).toEqual([
      {
        name: "lo",
        kind: "",
        mtu: 65536,
        up: true,
        mac: "00:00:00:00:00:00",
        alias: "netplan-k:demo",
      },
      {
        name: "eth0",
        kind: "veth",
        mtu: 1450,
        up: true,
        mac: expect.stringMatching(RANDOM_MAC),
        // Its other end: vethred (index 5) in the host, which red knows by id 0.
        ifindex: 2,
        otherEnd: { nsid: 0, ifindex: 5 },
      },
    ]);
    expect(red?.addresses).toContainEqual({ dev: "eth0", cidr: "10.1.1.2/32" });
    expect(red?.neighbours).toEqual([
      { dev: "eth0", dst: "169.254.1.1", lladdr: "ee:ee:ee:ee:ee:ee", permanent: true },
    ]);
    expect(red?.routes[0]).toEqual({
      dst: "0.0.0.0/0",
      table: 254,
      type: "unicast",
      metric: 0,
      via: "169.254.1.1",
      dev: "eth0",
      onlink: true,
      scope: "global",
      protocol: 77,
    });
  });

  test("sysctls: ip_forward and every interface's proxy_arp, with dotted keys", () => {
    expect(observed.state.sysctls).toEqual([
      { key: "net.ipv4.ip_forward", value: "1" },
      { key: "net.ipv4.conf.all.proxy_arp", value: "0" },
      { key: "net.ipv4.conf.cni0.proxy_arp", value: "0" },
      { key: "net.ipv4.conf.default.proxy_arp", value: "0" },
      { key: "net.ipv4.conf.eth0.proxy_arp", value: "0" },
      { key: "net.ipv4.conf.flannel.1.proxy_arp", value: "0" },
      { key: "net.ipv4.conf.lo.proxy_arp", value: "0" },
      { key: "net.ipv4.conf.vethblue.proxy_arp", value: "0" },
      { key: "net.ipv4.conf.vethred.proxy_arp", value: "1" },
    ]);
  });

  test("the BIRD configuration, the running bird, and the facts", () => {
    expect(observed.state.files).toEqual([
      {
        path: "/etc/bird/bird.conf",
        content:
          "# managed by netplan-k, topology demo; edits are overwritten\nrouter id 192.0.2.5;\nprotocol device {}\n",
      },
    ]);
    expect(observed.state.services).toEqual([
      { name: "bird", running: true, configPath: "/etc/bird/bird.conf" },
    ]);
    expect(observed.facts).toEqual(FACTS);
  });
});

// The section "bird" as nk_bird prints it: running=1, then birdc show protocols as BIRD 2.0.12
// printed it (test/planner/fixtures/bird/record-bird-protocols.sh, unedited).
describe("parseObservation of BIRD's protocols", () => {
  const table = readFileSync(
    new URL("../planner/fixtures/bird/bird-protocols-disabled-active.txt", import.meta.url),
    "utf8",
  );

  test("keeps each protocol's state, info and message, and nothing that ticks", () => {
    const observed = parseObservation("node-a", withSection("bird", `running=1\n${table}`));
    const protocols = observed.state.services[0]?.protocols ?? [];
    expect(protocols.map((p) => p.name)).toEqual([
      "device1",
      "direct1",
      "kernel1",
      "static1",
      "peer_node_2",
      "peer_node_3",
    ]);
    expect(protocols.slice(-2)).toEqual([
      { name: "peer_node_2", proto: "BGP", state: "down", info: "" },
      {
        name: "peer_node_3",
        proto: "BGP",
        state: "start",
        info: "Active",
        message: "Socket: Connection refused",
      },
    ]);
  });

  test("a bird found by pidof, with no birdc to ask, runs with its protocols unknown", () => {
    const observed = parseObservation("node-a", withSection("bird", "running=1"));
    expect(observed.state.services).toEqual([
      { name: "bird", running: true, configPath: "/etc/bird/bird.conf" },
    ]);
  });

  test("a table that cannot be read names the host and the section", () => {
    expect(errorOf(withSection("bird", "running=1\nName  Proto\npeer_x BGP"))).toBe(
      'node-a: section "bird": birdc show protocols printed no table header: "Name  Proto\\npeer_x BGP"',
    );
  });
});

describe("parseObservation of the converged examples", () => {
  test("host-gw node-1: routed workload red and the route to node-2's block", () => {
    const { state, facts } = parseObservation(
      "node-1",
      readFixture("converged/host-gw/node-1.txt"),
    );
    const veth = hostVethName("hostgw-demo", "red");
    expect(facts).toEqual(FACTS);
    expect(state.root.links.find((l) => l.name === veth)).toEqual({
      name: veth,
      kind: "veth",
      mtu: 1500,
      up: true,
      mac: "ee:ee:ee:ee:ee:ee",
      alias: "netplan-k:hostgw-demo",
      ifindex: 3,
      otherEnd: { nsid: 1, ifindex: 2 },
    });
    expect(state.root.routes.filter((r) => r.protocol === 77)).toEqual([
      {
        dst: "172.17.8.2/32",
        table: 254,
        type: "unicast",
        metric: 0,
        dev: veth,
        onlink: false,
        scope: "link",
        protocol: 77,
      },
      {
        dst: "172.17.9.0/24",
        table: 254,
        type: "unicast",
        metric: 0,
        via: "192.168.64.6",
        dev: "eth0",
        onlink: false,
        scope: "global",
        protocol: 77,
      },
    ]);
    expect(state.sysctls).toContainEqual({ key: `net.ipv4.conf.${veth}.proxy_arp`, value: "1" });
    expect(state.sysctls).toContainEqual({ key: "net.ipv4.ip_forward", value: "1" });
    expect(state.namespaces.map((ns) => [ns.name, ns.owner])).toEqual([["red", "hostgw-demo"]]);
    expect(state.files).toEqual([]);
    expect(state.services).toEqual([]);
  });

  test("vxlan node-2: VTEP, bridge, and a route, neighbour and fdb entry per peer", () => {
    const { state } = parseObservation("node-2", readFixture("converged/vxlan/node-2.txt"));
    const veth = hostVethName("vxlan-demo", "blue");
    const byName = new Map(state.root.links.map((l) => [l.name, l]));
    expect(byName.get("flannel.1")).toEqual({
      name: "flannel.1",
      kind: "vxlan",
      mtu: 1450,
      up: true,
      mac: vtepMac("vxlan-demo", "node-2"),
      alias: "netplan-k:vxlan-demo",
      vxlan: { id: 1, local: "192.168.64.6", dev: "eth0", port: 8472, learning: false },
    });
    expect(byName.get("cni0")).toMatchObject({ kind: "bridge", mtu: 1450, up: true });
    expect(byName.get(veth)).toMatchObject({ kind: "veth", mtu: 1450, master: "cni0" });
    expect(state.root.addresses).toContainEqual({ dev: "flannel.1", cidr: "10.1.16.0/32" });
    expect(state.root.addresses).toContainEqual({ dev: "cni0", cidr: "10.1.16.1/24" });
    expect(
      state.root.routes
        .filter((r) => r.protocol === 77)
        .map((r) => [r.dst, r.via, r.dev, r.onlink]),
    ).toEqual([
      ["10.1.15.0/24", "10.1.15.0", "flannel.1", true],
      ["10.1.17.0/24", "10.1.17.0", "flannel.1", true],
    ]);
    const peers = [
      { net: "10.1.15.0", underlay: "192.168.64.5", mac: vtepMac("vxlan-demo", "node-1") },
      { net: "10.1.17.0", underlay: "192.168.64.7", mac: vtepMac("vxlan-demo", "node-3") },
    ];
    for (const peer of peers) {
      expect(state.root.neighbours).toContainEqual({
        dev: "flannel.1",
        dst: peer.net,
        lladdr: peer.mac,
        permanent: true,
      });
      expect(state.root.fdb).toContainEqual({
        dev: "flannel.1",
        mac: peer.mac,
        dst: peer.underlay,
      });
    }
    expect(state.root.neighbours).toHaveLength(2);
    expect(state.root.fdb).toHaveLength(2);
    const blue = state.namespaces[0];
    expect(blue?.owner).toBe("vxlan-demo");
    expect(blue?.net.addresses).toContainEqual({ dev: "eth0", cidr: "10.1.16.2/24" });
    expect(blue?.net.routes[0]).toMatchObject({ dst: "0.0.0.0/0", via: "10.1.16.1", protocol: 77 });
  });
});

describe("parseObservation errors", () => {
  test("truncated output names the host and the open section", () => {
    const cut = assorted.slice(0, assorted.indexOf("@@netplan-k:section:route:red") + 60);
    expect(errorOf(cut)).toBe(
      'node-a: observation output is truncated inside section "route:red" (no "@@netplan-k:end" line); observe again',
    );
    expect(errorOf(assorted.replace("@@netplan-k:end\n", ""))).toBe(
      'node-a: observation output is truncated (no "@@netplan-k:end" line); observe again',
    );
  });

  test("output that is not an observation at all", () => {
    expect(errorOf("bash: sh: command not found\n")).toMatch(
      /^node-a: the output holds no observation \(no "@@netplan-k:observation:" line\)/,
    );
    expect(
      errorOf(assorted.replace("@@netplan-k:observation:1", "@@netplan-k:observation:7")),
    ).toBe("node-a: observation format 7 is not supported (this netplan-k reads 1)");
  });

  test("a login banner before the observation is skipped", () => {
    expect(
      parseObservation("node-a", `Welcome to node-a\n${assorted}`).state.namespaces,
    ).toHaveLength(2);
  });

  test("a failed command is reported with its exit code and stderr", () => {
    const failed = withSection(
      "fdb:red",
      "",
      '@@netplan-k:stderr:Cannot open network namespace "red": No such file or directory \n@@netplan-k:exit:1',
    );
    expect(errorOf(failed)).toBe(
      'node-a: bridge -n red -j fdb show failed (exit 1): Cannot open network namespace "red": No such file or directory',
    );
  });

  test("malformed JSON names the command", () => {
    expect(errorOf(withSection("route", '[{"dst":'))).toMatch(
      /^node-a: ip -j route show table all printed malformed JSON: /,
    );
    expect(errorOf(withSection("neigh:red", '[{"dev":"eth0"}]'))).toBe(
      'node-a: namespace red: ip -j neigh show nud all: entry 0: "dst" must be a string, found nothing',
    );
  });

  test("a missing section and namespaces that changed during the observation", () => {
    expect(
      errorOf(assorted.replace(/@@netplan-k:section:facts\n[^]*?@@netplan-k:exit:0\n/, "")),
    ).toBe('node-a: section "facts" (ip -V; uname -r) is missing from the observation');
    expect(
      errorOf(withSection("netns", '[{"name":"red"},{"name":"blue"},{"name":"green"}]')),
    ).toMatch(/^node-a: namespace "green" is listed by ip netns list but was not observed/);
    expect(errorOf(withSection("netns", '[{"name":"red"}]'))).toMatch(
      /^node-a: namespace "blue" was observed but is not listed by ip netns list/,
    );
  });

  test("malformed sysctl, bird and facts sections", () => {
    expect(errorOf(withSection("sysctl", "net.ipv4.ip_forward"))).toBe(
      'node-a: section "sysctl" holds a line that is not key=value: "net.ipv4.ip_forward"',
    );
    expect(errorOf(withSection("bird", "running=maybe"))).toBe(
      'node-a: section "bird": running must be 0 or 1, found maybe',
    );
    expect(errorOf(withSection("bird-config", "not base64!"))).toBe(
      "node-a: base64 /etc/bird/bird.conf printed invalid base64",
    );
    expect(errorOf(withSection("facts", "ipip=0\nkernel=6.1"))).toBe(
      'node-a: section "facts" has no iproute2',
    );
  });
});

// The observation's "sysctl:<netns>" section: nk_namespace_sysctls run by hand in workload red
// of a lab host (test/fixtures/README.md), framed into the converged vxlan observation.
describe("parseObservation of a workload namespace's sysctls", () => {
  const converged = readFixture("converged/vxlan/node-1.txt");
  const withSection = (body: string): string =>
    converged.replace(
      "@@netplan-k:section:sysctl\n",
      `@@netplan-k:section:sysctl:red\n${body}\n@@netplan-k:exit:0\n@@netplan-k:section:sysctl\n`,
    );

  test("reads arp_ignore of every interface of red, keyed as the host's", () => {
    const body = readFixture("kernel/truth-faults/sysctl-workload-eth0-arp-ignore-8.txt");
    const red = parseObservation("node-1", withSection(body)).state.namespaces.find(
      (ns) => ns.name === "red",
    );
    expect(red?.sysctls).toEqual([
      { key: "net.ipv4.conf.all.arp_ignore", value: "0" },
      { key: "net.ipv4.conf.default.arp_ignore", value: "0" },
      { key: "net.ipv4.conf.eth0.arp_ignore", value: "8" },
      { key: "net.ipv4.conf.lo.arp_ignore", value: "0" },
    ]);
  });

  test("an observation without the section (older netplan-k) has none", () => {
    const red = parseObservation("node-1", converged).state.namespaces.find(
      (ns) => ns.name === "red",
    );
    expect(red).toBeDefined();
    expect(red?.sysctls).toBeUndefined();
  });

  test("a line of another shape is an error naming the host and the section", () => {
    expect(() => parseObservation("node-1", withSection("eth0 8\n"))).toThrow(
      'node-1: section "sysctl:red" holds a line that is not a /proc/sys/net/ipv4/conf or ipv6/conf file and its value: "eth0 8"',
    );
  });
});

// OBSERVATION_SCRIPT run by hand (sh -s) in vxlan lab host u1-node-1 after `touch
// /run/netns/u1x; chmod 000 /run/netns/u1x` (what a crashed ip netns add leaves): ip -j netns
// list names u1x, and every ip -n u1x or nsenter on it fails "Invalid argument".
describe("an entry of /run/netns that is not a namespace", () => {
  const observed = parseObservation(
    "node-1",
    readFixture("kernel/truth-faults/observation-unmounted-netns.txt"),
  );

  test("is passed over with a warning naming it; the real namespaces are observed", () => {
    expect(observed.state.namespaces.map((ns) => ns.name)).toEqual(["red"]);
    expect(observed.warnings).toEqual([
      "node-1: /run/netns/u1x is not a network namespace (a file that is not a mount point, " +
        "left by an ip netns add that did not finish), so it was passed over; if nothing uses " +
        "it, remove it (rm /run/netns/u1x)",
    ]);
    // Kept by name too: the plan refuses to create a namespace of that name.
    expect(observed.unmountedNamespaces).toEqual(["u1x"]);
  });

  test("no false alarm: a host without such an entry has no warnings", () => {
    expect(parseObservation("node-1", readFixture("converged/vxlan/node-1.txt")).warnings).toBe(
      undefined,
    );
  });
});
