import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyFile } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { modes } from "../../src/modes/registry.js";

const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));

async function loadExample(name: string): Promise<Topology> {
  const result = await loadTopologyFile(`${examplesDir}${name}`, modes);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
  return result.topology;
}

describe("examples", () => {
  test.each(readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")))(
    "%s loads without any diagnostic",
    async (file) => {
      const result = await loadTopologyFile(`${examplesDir}${file}`, modes);
      expect(result.ok ? result.warnings : result.diagnostics.map(formatDiagnostic)).toEqual([]);
    },
  );

  test("vxlan.yaml resolves defaults and explicit addresses", async () => {
    const t = await loadExample("vxlan.yaml");
    expect(t.name).toBe("vxlan-demo");
    expect(t.source).toBe(`${examplesDir}vxlan.yaml`);
    expect(t.cluster).toEqual({
      v4: { cidr: "10.1.0.0/16", hostPrefix: 24 },
      mode: "vxlan",
      attach: "bridge",
      mtu: 1500,
      vxlan: { vni: 1, port: 8472, directRouting: false },
      ipip: { crossSubnet: false },
      bgp: { asn: 64512, reflectors: [] },
    });
    expect(t.hosts[1]).toEqual({
      name: "node-2",
      interface: "eth0",
      v4: {
        underlayIp: "192.168.64.6",
        underlaySubnet: "192.168.64.0/24",
        underlayPrefix: 24,
        podCidr: "10.1.16.0/24",
        podCidrAllocated: false,
      },
      transport: { kind: "ssh", host: "192.168.64.6" },
      workloads: [{ name: "blue", ipV4: "10.1.16.2", ipV4Allocated: false }],
    });
  });

  test("host-gw.yaml takes the interface and ssh user from defaults", async () => {
    const t = await loadExample("host-gw.yaml");
    expect(t.cluster.mode).toBe("host-gw");
    expect(t.cluster.attach).toBe("routed");
    expect(t.hosts.map((h) => [h.name, h.v4?.podCidr, h.interface])).toEqual([
      ["node-1", "172.17.8.0/24", "eth0"],
      ["node-2", "172.17.9.0/24", "eth0"],
    ]);
    expect(t.hosts[0]?.transport).toEqual({ kind: "ssh", user: "root", host: "192.168.64.5" });
    expect(t.hosts[1]?.workloads).toEqual([
      { name: "blue", ipV4: "172.17.9.2", ipV4Allocated: false },
    ]);
  });

  test("bgp-reflectors.yaml keeps its reflectors and allocates workload addresses", async () => {
    const t = await loadExample("bgp-reflectors.yaml");
    expect(t.cluster.bgp).toEqual({ asn: 64512, reflectors: ["rr-1", "rr-2"] });
    expect(t.hosts).toHaveLength(6);
    expect(t.hosts.every((h) => h.v4?.underlaySubnet === "192.168.64.0/24")).toBe(true);
    // 2 + sha256("workload:red")[0..4] mod 253 = 242, inside node-1's explicit block.
    expect(t.hosts[2]?.workloads).toEqual([
      { name: "red", ipV4: "10.244.3.242", ipV4Allocated: true },
    ]);
  });

  test("ipip-cross-subnet.yaml allocates blocks and workload addresses from names", async () => {
    const t = await loadExample("ipip-cross-subnet.yaml");
    expect(t.cluster.ipip).toEqual({ crossSubnet: true });
    // Values computed independently: sha256("block:node-a")[0..4] mod 256 = 199,
    // sha256("block:node-b") -> 36, 2 + sha256("workload:web") mod 253 = 39, "workload:db" -> 246.
    expect(
      t.hosts.map((h) => ({
        name: h.name,
        subnet: h.v4?.underlaySubnet,
        podCidr: h.v4?.podCidr,
        allocated: h.v4?.podCidrAllocated,
        workloads: h.workloads,
      })),
    ).toEqual([
      {
        name: "node-a",
        subnet: "192.168.100.0/24",
        podCidr: "10.244.199.0/24",
        allocated: true,
        workloads: [{ name: "web", ipV4: "10.244.199.39", ipV4Allocated: true }],
      },
      {
        name: "node-b",
        subnet: "192.168.200.0/24",
        podCidr: "10.244.36.0/24",
        allocated: true,
        workloads: [{ name: "db", ipV4: "10.244.36.246", ipV4Allocated: true }],
      },
    ]);
  });
});
