import { describe, expect, it } from "vitest";
import { applyFabricActions } from "../../src/lab/apply-fabric-actions.js";
import type { FabricAction } from "../../src/lab/fabric-plan.js";
import { IP_FORWARD } from "../../src/lab/fabric-state.js";
import { LabError } from "../../src/lab/lab-error.js";
import { fakeMachine } from "./machine-fake.js";

const eth0 = {
  namespace: "yl-a",
  name: "eth0",
  kind: "veth",
  mtu: 1450,
  up: true,
  peer: { namespace: "yl-fabric", name: "v0123456789ab" },
};
const port = {
  namespace: "yl-fabric",
  name: "v0123456789ab",
  kind: "veth",
  master: "br-c0000200-24",
  mtu: 1450,
  up: true,
};
/** A host built from nothing, as planFabric orders it. */
const newHost: FabricAction[] = [
  { kind: "add-namespace", namespace: "yl-a" },
  {
    kind: "set-link",
    link: { namespace: "yl-a", name: "lo", up: true, alias: "netplan-k-lab:yl" },
  },
  { kind: "add-link", link: eth0 },
  { kind: "set-link", link: eth0 },
  { kind: "set-link", link: port },
  { kind: "add-address", address: { namespace: "yl-a", dev: "eth0", cidr: "192.0.2.31/24" } },
  {
    kind: "replace-route",
    route: { namespace: "yl-a", dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
  },
];

describe("applyFabricActions", () => {
  it("runs each namespace's consecutive ip lines as one batch, veths and namespaces alone", async () => {
    const machine = fakeMachine();
    await applyFabricActions(machine, newHost);
    expect(machine.calls).toEqual([
      { argv: ["ip", "netns", "add", "yl-a"] },
      {
        argv: ["ip", "-n", "yl-a", "-batch", "-"],
        stdin: "link set dev lo alias netplan-k-lab:yl up\n",
      },
      {
        argv: [
          ...["ip", "link", "add", "eth0", "netns", "yl-a"],
          ...["type", "veth", "peer", "name", "v0123456789ab", "netns", "yl-fabric"],
        ],
      },
      { argv: ["ip", "-n", "yl-a", "-batch", "-"], stdin: "link set dev eth0 mtu 1450 up\n" },
      {
        argv: ["ip", "-n", "yl-fabric", "-batch", "-"],
        stdin: "link set dev v0123456789ab master br-c0000200-24 mtu 1450 up\n",
      },
      {
        argv: ["ip", "-n", "yl-a", "-batch", "-"],
        stdin:
          "addr replace 192.0.2.31/24 dev eth0\nroute replace 198.51.100.0/24 via 192.0.2.1 dev eth0\n",
      },
    ]);
  });

  it("makes bridges without STP, persistent taps, and sets sysctls inside the namespace", async () => {
    const machine = fakeMachine();
    await applyFabricActions(machine, [
      { kind: "delete-link", namespace: "yl-fabric", name: "br-stale" },
      {
        kind: "add-link",
        link: { namespace: "yl-fabric", name: "br-x", kind: "bridge", up: true },
      },
      { kind: "add-link", link: { namespace: "yl-fabric", name: "tab", kind: "tun", up: true } },
      { kind: "set-sysctl", sysctl: { namespace: "yl-r-gw", key: IP_FORWARD, value: "1" } },
      {
        kind: "delete-address",
        address: { namespace: "yl-r-gw", dev: "eth0", cidr: "192.0.2.9/24" },
      },
      {
        kind: "delete-route",
        route: { namespace: "yl-r-gw", dst: "203.0.113.0/24", via: "192.0.2.2", dev: "eth0" },
      },
    ]);
    expect(machine.calls).toEqual([
      {
        argv: ["ip", "-n", "yl-fabric", "-batch", "-"],
        stdin:
          "link del dev br-stale\nlink add br-x type bridge stp_state 0 forward_delay 0\ntuntap add dev tab mode tap\n",
      },
      {
        argv: [
          "nsenter",
          "--net=/run/netns/yl-r-gw",
          "--",
          "sysctl",
          "-q",
          "-w",
          "net.ipv4.ip_forward=1",
        ],
      },
      {
        argv: ["ip", "-n", "yl-r-gw", "-batch", "-"],
        stdin: "addr del 192.0.2.9/24 dev eth0\nroute del 203.0.113.0/24 via 192.0.2.2 dev eth0\n",
      },
    ]);
  });

  it("stops at the first failing command with a LabError that says which and why", async () => {
    const machine = fakeMachine((argv) =>
      argv.includes("veth") ? { exitCode: 2, stderr: "RTNETLINK answers: File exists\n" } : {},
    );
    const attempt = applyFabricActions(machine, newHost);
    await expect(attempt).rejects.toBeInstanceOf(LabError);
    await expect(attempt).rejects.toThrow(
      "lab fake: ip link add eth0 netns yl-a type veth peer name v0123456789ab netns yl-fabric failed (exit 2): RTNETLINK answers: File exists",
    );
    expect(machine.calls).toHaveLength(3);
  });

  it("runs nothing for an empty plan", async () => {
    const machine = fakeMachine();
    await applyFabricActions(machine, []);
    expect(machine.calls).toEqual([]);
  });
});
