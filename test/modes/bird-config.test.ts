import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  birdPeerName,
  birdPeerName6,
  listBgpSessions,
  listBirdHostProtocols,
  renderBirdConfig,
} from "../../src/modes/bird-config.js";
import { ownerOfFile } from "../../src/model/index.js";
import type { Topology } from "../../src/topology/topology.js";
import { buildHosts, buildTopology, withIpv6 } from "./topology-fixture.js";

const mesh = (count: number): Topology => buildTopology({ mode: "bgp", hosts: buildHosts(count) });

/** examples/bgp-reflectors.yaml: six hosts, rr-1 and rr-2 reflect for node-1..node-4. */
const reflectorsExample = buildTopology({
  name: "bgp-demo",
  mode: "bgp",
  bgp: { asn: 64512, reflectors: ["rr-1", "rr-2"] },
  hosts: [
    { name: "rr-1", ip: "192.168.64.11", podCidr: "10.244.1.0/24" },
    { name: "rr-2", ip: "192.168.64.12", podCidr: "10.244.2.0/24" },
    {
      name: "node-1",
      ip: "192.168.64.13",
      podCidr: "10.244.3.0/24",
      workloads: [["red", "10.244.3.2"]],
    },
    {
      name: "node-2",
      ip: "192.168.64.14",
      podCidr: "10.244.4.0/24",
      workloads: [["blue", "10.244.4.2"]],
    },
    {
      name: "node-3",
      ip: "192.168.64.15",
      podCidr: "10.244.5.0/24",
      workloads: [["green", "10.244.5.2"]],
    },
    {
      name: "node-4",
      ip: "192.168.64.16",
      podCidr: "10.244.6.0/24",
      workloads: [["yellow", "10.244.6.2"]],
    },
  ],
});

const configOf = (topology: Topology, host: string): string => {
  const found = topology.hosts.find((candidate) => candidate.name === host);
  if (found === undefined) throw new Error(`no host ${host}`);
  return renderBirdConfig(topology, found);
};

/** Neighbour addresses of the `protocol bgp` sessions in a configuration. */
const neighbours = (config: string): string[] =>
  [...config.matchAll(/^ {2}neighbor (\S+) as \d+;$/gm)].map((match) => match[1] ?? "");

describe("renderBirdConfig", () => {
  test("gives the exact configuration of a mesh host", () => {
    const topology = buildTopology({
      mode: "bgp",
      bgp: { asn: 64600 },
      hosts: [
        { name: "node-1", ip: "192.168.64.5", podCidr: "10.244.1.0/24", interface: "ens3" },
        { name: "node-2", ip: "192.168.64.6", podCidr: "10.244.2.0/24" },
        { name: "node-3", ip: "192.168.64.7", podCidr: "10.244.3.0/24" },
      ],
    });
    expect(configOf(topology, "node-1")).toBe(
      [
        "# managed by netplan-k, topology demo; edits are overwritten",
        "# host node-1, block 10.244.1.0/24, AS 64600, node-to-node mesh",
        "",
        "router id 192.168.64.5;",
        "",
        "protocol device {",
        "}",
        "",
        "protocol direct {",
        "  ipv4;",
        '  interface "ens3";',
        "}",
        "",
        "protocol kernel {",
        "  scan time 1;",
        "  ipv4 {",
        "    import none;",
        "    export where source = RTS_BGP;",
        "  };",
        "}",
        "",
        "protocol static {",
        "  ipv4;",
        "  route 10.244.1.0/24 blackhole;",
        "}",
        "",
        "template bgp cluster_peer {",
        "  local as 64600;",
        "  direct;",
        "  connect delay time 1;",
        "  ipv4 {",
        "    gateway direct;",
        "    import all;",
        "    export where source = RTS_STATIC;",
        "  };",
        "}",
        "",
        "protocol bgp peer_node_2 from cluster_peer {",
        "  neighbor 192.168.64.6 as 64600;",
        "}",
        "",
        "protocol bgp peer_node_3 from cluster_peer {",
        "  neighbor 192.168.64.7 as 64600;",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("starts with the ownership header naming the topology", () => {
    expect(ownerOfFile(configOf(reflectorsExample, "node-1"))).toBe("bgp-demo");
  });

  test("a reflector peers with every host and marks only non-reflectors as clients", () => {
    const config = configOf(reflectorsExample, "rr-2");
    expect(neighbours(config)).toEqual([
      "192.168.64.13",
      "192.168.64.14",
      "192.168.64.15",
      "192.168.64.16",
      "192.168.64.11",
    ]);
    expect(config).toContain(
      [
        "protocol bgp peer_node_1 from cluster_peer {",
        "  neighbor 192.168.64.13 as 64512;",
        "  rr client;",
        "  rr cluster id 192.168.64.11;",
        "}",
      ].join("\n"),
    );
    expect(config).toContain(
      [
        "protocol bgp peer_rr_1 from cluster_peer {",
        "  neighbor 192.168.64.11 as 64512;",
        "}",
      ].join("\n"),
    );
    expect(config.match(/rr client;/g)).toHaveLength(4);
    expect(config).toContain("    export where source = RTS_STATIC || source = RTS_BGP;\n");
    expect(config).toContain("AS 64512, route reflector\n");
  });

  test("a non-reflector peers with the reflectors only and exports only its own block", () => {
    const config = configOf(reflectorsExample, "node-3");
    expect(neighbours(config)).toEqual(["192.168.64.11", "192.168.64.12"]);
    expect(config).not.toContain("rr client");
    expect(config).toContain("    export where source = RTS_STATIC;\n");
    expect(config).toContain("route 10.244.5.0/24 blackhole;");
    expect(config).toContain("router id 192.168.64.15;");
  });

  test("all reflectors share the lowest reflector address as cluster id, whatever the list order", () => {
    const reordered: Topology = {
      ...reflectorsExample,
      cluster: { ...reflectorsExample.cluster, bgp: { asn: 64512, reflectors: ["rr-2", "rr-1"] } },
    };
    for (const host of ["rr-1", "rr-2"]) {
      const config = configOf(reordered, host);
      expect([...config.matchAll(/rr cluster id (\S+);/g)].map((m) => m[1])).toEqual(
        Array(4).fill("192.168.64.11"),
      );
      expect(config).toBe(configOf(reflectorsExample, host));
    }
  });

  test("does not depend on the host order of the topology", () => {
    const topology = mesh(4);
    const reversed: Topology = { ...topology, hosts: [...topology.hosts].reverse() };
    for (const host of topology.hosts) {
      expect(configOf(reversed, host.name)).toBe(configOf(topology, host.name));
    }
  });

  test("names peers with BIRD symbols that stay distinct", () => {
    expect(birdPeerName("node-1")).toBe("peer_node_1");
    expect(birdPeerName("1a")).toBe("peer_1a");
    expect(birdPeerName("a-b-c")).not.toBe(birdPeerName("a-bc"));
    expect(birdPeerName6("node-1")).toBe("peer6_node_1");
    // No host name gives an IPv4 session the name of another host's IPv6 session.
    expect(birdPeerName("6")).not.toBe(birdPeerName6(""));
    expect(birdPeerName("a-v6")).not.toBe(birdPeerName6("a"));
  });
});

describe("renderBirdConfig, dual-stack", () => {
  const dualMesh = withIpv6(
    buildTopology({
      mode: "bgp",
      hosts: [
        { name: "node-1", ip: "192.168.64.5", podCidr: "10.244.1.0/24" },
        { name: "node-2", ip: "192.168.64.6", podCidr: "10.244.2.0/24" },
      ],
    }),
  );

  test("names the file's protocols as BIRD does: per type, in file order (kernel2: IPv6)", () => {
    const [host] = dualMesh.hosts;
    if (host === undefined) throw new Error("fixture");
    expect(listBirdHostProtocols(host).map((p) => `${p.name} ${p.proto}: ${p.purpose}`)).toEqual([
      "device1 Device: tells BIRD the host's interfaces",
      `direct1 Direct: reads the addresses of ${host.interface}, the sessions' next hops`,
      "kernel1 Kernel: installs the IPv4 blocks learned over BGP in the kernel",
      "static1 Static: announces this host's block 10.244.1.0/24",
      "kernel2 Kernel: installs the IPv6 blocks learned over BGP in the kernel",
      `static2 Static: announces this host's block ${host.v6?.podCidr}`,
    ]);
    // As many kernel and static protocols as the file writes, in its order of families.
    const config = renderBirdConfig(dualMesh, host);
    expect(config.match(/^protocol kernel \{$/gm)).toHaveLength(2);
    expect(config.indexOf("  ipv4 {")).toBeLessThan(config.indexOf("  ipv6 {"));
  });

  test("adds the IPv6 side after the IPv4 one: direct, kernel, static, template, one session per peer", () => {
    const ipv4Only = configOf(
      { ...dualMesh, hosts: dualMesh.hosts.map(({ v6: _, ...h }) => h) },
      "node-1",
    );
    const config = configOf(dualMesh, "node-1");
    expect(config).toBe(
      [
        "# managed by netplan-k, topology demo; edits are overwritten",
        "# host node-1, block 10.244.1.0/24 and fd00:10:244:1::/64, AS 64512, node-to-node mesh",
        "",
        "router id 192.168.64.5;",
        "",
        "protocol device {",
        "}",
        "",
        "protocol direct {",
        "  ipv4;",
        "  ipv6;",
        '  interface "eth0";',
        "}",
        "",
        "protocol kernel {",
        "  scan time 1;",
        "  ipv4 {",
        "    import none;",
        "    export where source = RTS_BGP;",
        "  };",
        "}",
        "",
        "protocol static {",
        "  ipv4;",
        "  route 10.244.1.0/24 blackhole;",
        "}",
        "",
        "protocol kernel {",
        "  scan time 1;",
        "  ipv6 {",
        "    import none;",
        "    export where source = RTS_BGP;",
        "  };",
        "}",
        "",
        "protocol static {",
        "  ipv6;",
        "  route fd00:10:244:1::/64 blackhole;",
        "}",
        "",
        "template bgp cluster_peer {",
        "  local as 64512;",
        "  direct;",
        "  connect delay time 1;",
        "  ipv4 {",
        "    gateway direct;",
        "    import all;",
        "    export where source = RTS_STATIC;",
        "  };",
        "}",
        "",
        "template bgp cluster_peer6 {",
        "  local as 64512;",
        "  direct;",
        "  connect delay time 1;",
        "  ipv6 {",
        "    gateway direct;",
        "    import all;",
        "    export where source = RTS_STATIC;",
        "  };",
        "}",
        "",
        "protocol bgp peer6_node_2 from cluster_peer6 {",
        "  neighbor 2001:db8:64::6 as 64512;",
        "}",
        "",
        "protocol bgp peer_node_2 from cluster_peer {",
        "  neighbor 192.168.64.6 as 64512;",
        "}",
        "",
      ].join("\n"),
    );
    // Without its IPv6 values the same cluster gives the IPv4 text, none of the IPv6 lines.
    expect(ipv4Only).not.toContain("ipv6");
    expect(ipv4Only).toContain("# host node-1, block 10.244.1.0/24, AS 64512, node-to-node mesh\n");
  });

  test("a reflector's IPv6 sessions mark the same clients, with the same cluster id", () => {
    const config = configOf(withIpv6(reflectorsExample), "rr-1");
    expect(config).toContain(
      [
        "protocol bgp peer6_node_1 from cluster_peer6 {",
        "  neighbor 2001:db8:64::13 as 64512;",
        "  rr client;",
        "  rr cluster id 192.168.64.11;",
        "}",
      ].join("\n"),
    );
    expect(config.match(/rr client;/g)).toHaveLength(8);
    expect(config.match(/export where source = RTS_STATIC \|\| source = RTS_BGP;/g)).toHaveLength(
      2,
    );
  });

  test("lists one session per peer and family, with the family's neighbor address", () => {
    const dual = withIpv6(reflectorsExample);
    const node3 = dual.hosts.find((h) => h.name === "node-3");
    if (node3 === undefined) throw new Error("fixture");
    expect(
      listBgpSessions(dual, node3).map(
        (s) => `${s.protocol} ${s.family} ${s.address} ${s.rrClient}`,
      ),
    ).toEqual([
      "peer6_rr_1 ipv6 2001:db8:64::11 false",
      "peer6_rr_2 ipv6 2001:db8:64::12 false",
      "peer_rr_1 ipv4 192.168.64.11 false",
      "peer_rr_2 ipv4 192.168.64.12 false",
    ]);
  });
});

describe("sessions", () => {
  /** Distinct sessions of the whole topology: each is configured on both of its ends. */
  const sessions = (topology: Topology): Set<string> => {
    const pairs = topology.hosts.flatMap((host) =>
      neighbours(renderBirdConfig(topology, host)).map((peer) =>
        [host.v4?.underlayIp ?? "", peer].sort().join(" - "),
      ),
    );
    expect(pairs.length % 2).toBe(0);
    return new Set(pairs);
  };

  test.each([2, 3, 6, 10])("a mesh of %i hosts has N(N-1)/2 sessions", (count) => {
    expect(sessions(mesh(count)).size).toBe((count * (count - 1)) / 2);
  });

  test("reflectors: R(R-1)/2 between reflectors plus R per client", () => {
    // 2 reflectors, 4 clients: 1 + 2 * 4 = 9, against 15 for a mesh of 6.
    expect(sessions(reflectorsExample).size).toBe(9);
    const three = buildTopology({
      mode: "bgp",
      bgp: { reflectors: ["node-1", "node-5", "node-9"] },
      hosts: buildHosts(12),
    });
    expect(sessions(three).size).toBe(3 + 3 * 9);
  });

  test("dual-stack: every session twice, once per family, each configured on both ends", () => {
    const familySessions = (topology: Topology): Set<string> => {
      const pairs = topology.hosts.flatMap((host) =>
        neighbours(renderBirdConfig(topology, host)).map((peer) =>
          [peer.includes(":") ? (host.v6?.underlayIp ?? "") : (host.v4?.underlayIp ?? ""), peer]
            .sort()
            .join(" - "),
        ),
      );
      expect(pairs.length % 2).toBe(0);
      return new Set(pairs);
    };
    expect(familySessions(withIpv6(mesh(4))).size).toBe(2 * 6);
    expect(familySessions(withIpv6(reflectorsExample)).size).toBe(2 * 9);
  });
});

describe("bird -p accepts every generated configuration", () => {
  const directory = mkdtempSync(join(tmpdir(), "nk-bird-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const cases: [string, Topology][] = [
    ["mesh of 3", mesh(3)],
    ["reflectors example", reflectorsExample],
    ["mesh of 6", mesh(6)],
    ["single host", mesh(1)],
    ["dual-stack mesh of 3", withIpv6(mesh(3))],
    ["dual-stack reflectors example", withIpv6(reflectorsExample)],
  ];
  test.each(cases)("%s", (label, topology) => {
    for (const host of topology.hosts) {
      const file = join(directory, `${label.replaceAll(" ", "-")}-${host.name}.conf`);
      writeFileSync(file, renderBirdConfig(topology, host));
      const parsed = spawnSync("bird", ["-p", "-c", file], { encoding: "utf8" });
      expect(parsed.error).toBeUndefined();
      expect({ host: host.name, status: parsed.status, stderr: parsed.stderr }).toEqual({
        host: host.name,
        status: 0,
        stderr: "",
      });
    }
  });
});
