import { describe, expect, it } from "vitest";
import { MINIMUM_IPROUTE2 } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import type { ModeName } from "../../src/topology/topology.js";
import { buildTopology } from "./topology-fixture.js";

const requirementsOf = (mode: ModeName, attach: "bridge" | "routed", workloads = true) => {
  const topology = buildTopology({
    name: "req-demo",
    mode,
    attach,
    cidr: "10.244.0.0/16",
    hosts: [
      {
        name: "node-1",
        ip: "192.168.64.5",
        podCidr: "10.244.1.0/24",
        interface: "ens3",
        workloads: workloads ? [["red", "10.244.1.2"]] : [],
      },
      { name: "node-2", ip: "192.168.64.6", podCidr: "10.244.2.0/24" },
    ],
  });
  return compileTopology(topology).hosts[0]?.requirements;
};

describe("compileHostRequirements", () => {
  it("states the underlay: interface, address, and the MTU overlay plus overhead", () => {
    expect(requirementsOf("vxlan", "bridge")?.underlay).toEqual({
      interface: "ens3",
      address: "192.168.64.5",
      prefix: 24,
      mtu: 1500,
      overlayMtu: 1450,
      overhead: 50,
      mode: "vxlan",
    });
    expect(requirementsOf("ipip", "routed")?.underlay).toMatchObject({
      mtu: 1500,
      overlayMtu: 1480,
      overhead: 20,
    });
    expect(requirementsOf("host-gw", "routed")?.iproute2).toEqual(MINIMUM_IPROUTE2);
  });

  it("needs a driver for every kind of link the host will hold", () => {
    expect(requirementsOf("vxlan", "bridge")?.drivers).toEqual(["bridge", "veth", "vxlan"]);
    expect(requirementsOf("ipip", "routed")?.drivers).toEqual(["veth", "ipip"]);
    expect(requirementsOf("host-gw", "routed")?.drivers).toEqual(["veth"]);
    expect(requirementsOf("host-gw", "routed", false)?.drivers).toEqual([]);
    expect(requirementsOf("bgp", "bridge", false)?.drivers).toEqual(["bridge"]);
  });

  it("needs BIRD only where the host runs it (mode bgp)", () => {
    expect(requirementsOf("bgp", "routed")?.bird).toBe(true);
    expect(requirementsOf("vxlan", "routed")?.bird).toBe(false);
  });
});
