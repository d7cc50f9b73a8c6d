import { describe, expect, it } from "vitest";
import { IP_FORWARD } from "../../src/lab/fabric-state.js";
import { labMarker } from "../../src/lab/lab-names.js";
import { observeFabric } from "../../src/lab/observe-fabric.js";
import { parseFabricObservation } from "../../src/lab/parse-fabric-observation.js";
import { readRecordedFabric } from "./fabric-fixtures.js";
import { fakeMachine } from "./machine-fake.js";

const converged = readRecordedFabric("converged");
const damaged = readRecordedFabric("damaged");

describe("observeFabric", () => {
  it("asks the machine what the recording holds, for the lab's namespaces only", async () => {
    const { netns, namespaces } = converged.observation;
    const machine = fakeMachine((argv) => {
      if (argv.join(" ") === "ip -j netns list") return { stdout: netns };
      const namespace = (argv[0] === "nsenter" ? argv[1]?.split("/").pop() : argv[2]) ?? "";
      const recorded = namespaces[namespace];
      if (recorded === undefined) throw new Error(`asked about ${namespace}`);
      if (argv.includes("link")) return { stdout: recorded.link };
      if (argv.includes("addr")) return { stdout: recorded.addr };
      if (argv.includes("route")) return { stdout: recorded.route };
      return { stdout: recorded.ipForward };
    });
    expect(await observeFabric(machine, "ylfx")).toEqual(converged.observation);
    // The recording's netns list also holds another lab's namespace: never read.
    expect(machine.calls.every((call) => !call.argv.join(" ").includes("yt-"))).toBe(true);
    expect(machine.calls).toHaveLength(1 + 4 * Object.keys(namespaces).length);
  });

  it("reads nothing more when the machine has no namespace at all (ip prints nothing)", async () => {
    const machine = fakeMachine();
    expect(await observeFabric(machine, "ylfx")).toEqual({ netns: "", namespaces: {} });
    expect(machine.calls).toEqual([{ argv: ["ip", "-j", "netns", "list"] }]);
  });

  it("fails naming the machine, the command and its error output", async () => {
    const machine = fakeMachine(() => ({ exitCode: 1, stderr: "Permission denied\n" }));
    await expect(observeFabric(machine, "ylfx")).rejects.toThrow(
      "lab fake: ip -j netns list failed (exit 1): Permission denied",
    );
  });
});

describe("parseFabricObservation", () => {
  const state = parseFabricObservation(converged.observation, "ylfx");

  it("lists the lab's namespaces, owned by the marker on lo", () => {
    expect(state.namespaces).toEqual(
      ["ylfx-a", "ylfx-b", "ylfx-c", "ylfx-fabric", "ylfx-r-gw", "ylfx-ctl"].map((name) => ({
        name,
        owned: true,
      })),
    );
  });

  it("reads links with kind, master, MTU, the UP flag and alias", () => {
    expect(state.links.filter((link) => link.namespace === "ylfx-a")).toEqual([
      {
        namespace: "ylfx-a",
        name: "lo",
        mtu: 65536,
        up: true,
        alias: labMarker("ylfx"),
      },
      { namespace: "ylfx-a", name: "eth0", kind: "veth", mtu: 1450, up: true },
    ]);
    const ports = state.links.filter((l) => l.namespace === "ylfx-fabric" && l.kind === "veth");
    expect(ports).toHaveLength(6);
    expect(ports.every((p) => p.master?.startsWith("br-") && p.mtu === 1450 && p.up)).toBe(true);
  });

  it("keeps addresses as CIDRs (lo's too) and only routes through a gateway", () => {
    expect(state.addresses.filter((a) => a.namespace === "ylfx-r-gw")).toEqual([
      { namespace: "ylfx-r-gw", dev: "lo", cidr: "127.0.0.1/8" },
      { namespace: "ylfx-r-gw", dev: "eth0", cidr: "192.0.2.1/24" },
      { namespace: "ylfx-r-gw", dev: "eth1", cidr: "198.51.100.1/24" },
    ]);
    // Kernel routes of the connected subnets are not the lab's.
    expect(state.routes).toEqual([
      { namespace: "ylfx-a", dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
      { namespace: "ylfx-b", dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
      { namespace: "ylfx-c", dst: "192.0.2.0/24", via: "198.51.100.1", dev: "eth0" },
      { namespace: "ylfx-ctl", dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
    ]);
    expect(state.sysctls.filter((s) => s.value === "1")).toEqual([
      { namespace: "ylfx-r-gw", key: IP_FORWARD, value: "1" },
    ]);
  });

  it("reads nothing inside a namespace without the marker", () => {
    const broken = parseFabricObservation(damaged.observation, "ylfx");
    expect(broken.namespaces).toContainEqual({ name: "ylfx-zz", owned: false });
    expect(broken.links.some((link) => link.namespace === "ylfx-zz")).toBe(false);
    expect(broken.sysctls.some((sysctl) => sysctl.namespace === "ylfx-zz")).toBe(false);
  });

  it("sees the namespace of a lab with a shorter prefix as not owned", () => {
    // Lab "ylfx-r" would own namespaces "ylfx-r-*": ylfx's router carries ylfx's marker.
    expect(parseFabricObservation(converged.observation, "ylfx-r")).toEqual({
      namespaces: [{ name: "ylfx-r-gw", owned: false }],
      links: [],
      addresses: [],
      routes: [],
      sysctls: [],
    });
  });
});
