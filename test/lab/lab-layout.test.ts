import { describe, expect, it } from "vitest";
import { layoutLab, LabError } from "../../src/lab/index.js";
import { resolveLab } from "../../src/topology/resolve-lab.js";
import { labPaths } from "../../src/lab/lab-paths.js";
import { parseMountPoints } from "../../src/lab/mounts.js";
import { renderSshConfig, subnetWildcard } from "../../src/lab/sshd.js";
import { modes } from "../../src/modes/registry.js";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { labHost, labTopology } from "./lab-fixture.js";

const twoSegments = labTopology([
  labHost("node-with-a-rather-long-name-1", "198.51.100.11"),
  labHost("west-2", "198.51.100.12"),
  labHost("east-1", "203.0.113.21"),
]);
const routed = {
  prefix: "nk",
  sshd: true,
  routers: [{ name: "gw", legs: ["198.51.100.1/24", "203.0.113.1/24"] }],
  guests: [],
};

describe("resolveLab", () => {
  it("fills the defaults", () => {
    expect(resolveLab({})).toEqual({ prefix: "nk", sshd: false, routers: [], guests: [] });
    expect(
      resolveLab({
        prefix: "ci",
        sshd: true,
        routers: [{ name: "r", legs: ["10.0.0.1/24", "10.0.1.1/24"] }],
      }),
    ).toEqual({
      prefix: "ci",
      sshd: true,
      routers: [{ name: "r", legs: ["10.0.0.1/24", "10.0.1.1/24"] }],
      guests: [],
    });
  });
});

describe("layoutLab", () => {
  const layout = layoutLab(twoSegments, routed);

  it("makes one segment per distinct subnet, bridges named within 15 characters", () => {
    expect(layout.segments).toEqual([
      { subnet: "198.51.100.0/24", bridge: "br-c6336400-24" },
      { subnet: "203.0.113.0/24", bridge: "br-cb007100-24" },
    ]);
    const names = [...layout.hosts, ...layout.routers, layout.controller!].flatMap((n) =>
      n.attachments.flatMap((a) => [a.fabricPort, a.interface]),
    );
    expect(names.every((name) => name.length <= 15)).toBe(true);
    expect(new Set(names.filter((n) => n.startsWith("v"))).size).toBe(6);
  });

  it("names namespaces after the prefix", () => {
    expect(layout.fabric).toBe("nk-fabric");
    expect(layout.hosts.map((h) => h.namespace)).toEqual([
      "nk-node-with-a-rather-long-name-1",
      "nk-west-2",
      "nk-east-1",
    ]);
    expect(
      layout.routers.map((r) => [
        r.namespace,
        r.attachments.map((a) => `${a.interface} ${a.address}/${a.prefix}`),
      ]),
    ).toEqual([["nk-r-gw", ["eth0 198.51.100.1/24", "eth1 203.0.113.1/24"]]]);
  });

  it("routes every host to the other segments via the router leg on its own segment", () => {
    expect(layout.hosts.map((h) => h.routes)).toEqual([
      [{ dst: "203.0.113.0/24", via: "198.51.100.1", dev: "eth0" }],
      [{ dst: "203.0.113.0/24", via: "198.51.100.1", dev: "eth0" }],
      [{ dst: "198.51.100.0/24", via: "203.0.113.1", dev: "eth0" }],
    ]);
  });

  it("puts the controller on the first host's segment at the highest free address", () => {
    const crowded = labTopology([labHost("a", "198.51.100.254"), labHost("b", "198.51.100.253")]);
    expect(
      layoutLab(crowded, { prefix: "nk", sshd: true, routers: [], guests: [] }).controller
        ?.attachments[0]?.address,
    ).toBe("198.51.100.252");
    expect(
      layoutLab(crowded, { prefix: "nk", sshd: false, routers: [], guests: [] }).controller,
    ).toBeUndefined();
    expect(() =>
      layoutLab(labTopology([labHost("a", "198.51.100.1", 31), labHost("b", "198.51.100.0", 31)]), {
        prefix: "nk",
        sshd: true,
        routers: [],
        guests: [],
      }),
    ).toThrow(/no free address/);
  });

  it("refuses names that would share a namespace, and unsafe prefixes", () => {
    const clash = labTopology([labHost("fabric", "198.51.100.11")]);
    expect(() => layoutLab(clash, { prefix: "nk", sshd: false, routers: [], guests: [] })).toThrow(
      LabError,
    );
    expect(() => layoutLab(clash, { prefix: "nk", sshd: false, routers: [], guests: [] })).toThrow(
      "lab namespace nk-fabric would serve both the fabric and host fabric: rename the host",
    );
    expect(() =>
      layoutLab(twoSegments, { prefix: "NK x", sshd: false, routers: [], guests: [] }),
    ).toThrow(/lab prefix "NK x"/);
  });
});

describe("ssh files", () => {
  it("covers a subnet with one wildcard", () => {
    expect(subnetWildcard("198.51.100.0/24")).toBe("198.51.100.*");
    expect(subnetWildcard("10.1.0.0/20")).toBe("10.1.*");
    expect(subnetWildcard("0.0.0.0/0")).toBe("*");
  });

  it("names every host by name and address, proxied through the controller", () => {
    const paths = labPaths("nk", { stateDir: "/run/lab" });
    const config = renderSshConfig(layoutLab(twoSegments, routed), paths, [
      "/usr/bin/node",
      paths.connector,
    ]);
    expect(config).toContain("Host east-1 203.0.113.21\n  HostName 203.0.113.21\n  User root\n");
    expect(config).toContain(
      "  ProxyCommand nsenter --net=/run/netns/nk-ctl -- /usr/bin/node /run/lab/tcp-connect.mjs %h %p\n",
    );
    expect(
      renderSshConfig(layoutLab(twoSegments, routed), paths, ["/usr/bin/busybox", "nc"]),
    ).toContain("  ProxyCommand nsenter --net=/run/netns/nk-ctl -- /usr/bin/busybox nc %h %p\n");
    expect(config.match(/StrictHostKeyChecking yes/g)).toHaveLength(3);
  });

  it("refuses state paths a shell or ssh_config would misread, and paths under /root", () => {
    expect(() => labPaths("nk", { stateDir: "/tmp/my lab" })).toThrow(LabError);
    expect(() => labPaths("nk", { stateDir: "/root/lab" })).toThrow(/under \/root/);
    expect(labPaths("nk").stateDir).toBe("/run/netplan-k/lab/nk");
  });
});

describe("parseMountPoints", () => {
  it("reads the fifth field and undoes mountinfo's octal escapes", () => {
    const mountinfo = [
      "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda rw",
      "830 22 0:4 net:[4026532177] /run/netns/a\\040b rw shared:2 - nsfs nsfs rw",
      "",
    ].join("\n");
    expect(parseMountPoints(mountinfo)).toEqual(["/", "/run/netns/a b"]);
  });
});

describe("the lab of an IPv6-only cluster", () => {
  const ipv6Only = (): Topology => {
    const result = loadTopologyText(
      [
        "apiVersion: netplan-k/v1",
        "name: six",
        "cluster: { cidr: fd00:10:6::/56, mode: vxlan }",
        "hosts:",
        "  - { name: a, address: 2001:db8:1::11/64 }",
        "  - { name: b, address: 2001:db8:2::12/64 }",
        "lab: { prefix: sx, sshd: false, routers: [{ name: gw, legs: [2001:db8:1::1/64, 2001:db8:2::1/64] }] }",
        "",
      ].join("\n"),
      "six.yaml",
      modes,
    );
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
    return result.topology;
  };

  it("builds its segments on the IPv6 subnets, routed through the router's IPv6 legs", () => {
    const topology = ipv6Only();
    const layout = layoutLab(topology, resolveLab({ prefix: "sx", routers: [] }));
    expect(layout.segments.map((s) => s.subnet)).toEqual(["2001:db8:1::/64", "2001:db8:2::/64"]);
    expect(layout.segments.every((s) => /^br6-[0-9a-f]{10}$/.test(s.bridge))).toBe(true);
    const spec = topology.lab;
    if (spec === undefined) throw new Error("no lab");
    const [a] = layoutLab(topology, spec).hosts;
    expect(a?.attachments.map((x) => `${x.address}/${x.prefix} ${x.ipv6 ? "+v6" : ""}`)).toEqual([
      "2001:db8:1::11/64 ",
    ]);
    expect(a?.routes).toEqual([{ dst: "2001:db8:2::/64", via: "2001:db8:1::1", dev: "eth0" }]);
  });

  it("refuses sshd, which takes IPv4 addresses, naming the way", () => {
    expect(() => layoutLab(ipv6Only(), resolveLab({ prefix: "sx", sshd: true }))).toThrow(
      "lab.sshd is not built for an IPv6-only cluster: the lab's sshd and ssh_config take IPv4 addresses: set lab.sshd: false",
    );
  });
});
