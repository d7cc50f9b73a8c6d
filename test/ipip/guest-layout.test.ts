import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { guestKernelArgs, qemuArgv } from "../../src/lab/guest.js";
import { LabError } from "../../src/lab/lab-error.js";
import { layoutLab } from "../../src/lab/lab-layout.js";
import { labPaths } from "../../src/lab/lab-paths.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { modes } from "../../src/modes/registry.js";

/** Lab guests without QEMU: the layout, the topology checks, the argv and command line. */

const example = parse(await readFile("examples/lab-ipip.yaml", "utf8")) as TopologyFile;

function load(file: TopologyFile) {
  return loadTopologyText(stringify(file), "lab.yaml", modes);
}

function resolve(file: TopologyFile): Topology {
  const loaded = load(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.topology;
}

describe("lab.guests in the topology", () => {
  it("resolves the guests of the example", () => {
    expect(resolve(example).lab?.guests).toEqual(["a-1", "a-2", "b-1"]);
  });

  it("refuses a guest that names no host", () => {
    const loaded = load({ ...example, lab: { ...example.lab, guests: ["a-1", "c-9"] } });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.diagnostics.map((d) => `${d.line}: ${d.message}`)).toEqual([
      expect.stringMatching(/^\d+: lab\.guests\[1\] c-9 is not the name of a host$/),
    ]);
  });

  it("refuses guests without sshd", () => {
    const loaded = load({ ...example, lab: { ...example.lab, sshd: false } });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([
      "lab guests need lab.sshd: true: a QEMU guest is reached over SSH only",
    ]);
  });
});

describe("guest layout", () => {
  const topology = resolve(example);
  const spec = topology.lab;
  if (!spec) throw new Error("the example has a lab section");
  const layout = layoutLab(topology, spec);

  it("gives every guest a tap as its fabric port and a MAC of its own", () => {
    const guests = layout.hosts.map((host) => host.guest);
    expect(guests.every((guest) => guest !== undefined)).toBe(true);
    expect(new Set(guests.map((g) => g?.mac)).size).toBe(3);
    for (const host of layout.hosts) {
      expect(host.guest?.tap).toMatch(/^t[0-9a-f]{12}$/);
      expect(host.attachments[0]?.fabricPort).toBe(host.guest?.tap);
      expect(host.guest?.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    }
  });

  it("keeps namespace hosts as they were", () => {
    const plain = layoutLab(topology, { ...spec, guests: ["a-1"] });
    expect(plain.hosts.map((h) => h.guest !== undefined)).toEqual([true, false, false]);
  });

  it("refuses a hand-made spec with guests and no sshd", () => {
    expect(() => layoutLab(topology, { ...spec, sshd: false })).toThrow(LabError);
    expect(() => layoutLab(topology, { ...spec, sshd: false })).toThrow(/need lab\.sshd: true/);
  });

  it("boots the guest with its address, routes and the lab's sshd files", () => {
    const paths = labPaths(spec.prefix);
    const b1 = layout.hosts[2];
    if (!b1?.guest) throw new Error("b-1 is a guest");
    expect(guestKernelArgs(b1, b1.guest, paths, 1500, 2596122).split(" ")).toEqual([
      "console=ttyS0",
      "earlyprintk=ttyS0",
      "panic=-1",
      "tsc_early_khz=2596122",
      "nk.host=b-1",
      `nk.mac=${b1.guest.mac}`,
      "nk.if=eth0",
      "nk.addr=198.51.100.31/24",
      "nk.mtu=1500",
      "nk.route=192.0.2.0/24@198.51.100.1",
      "nk.state=/run/netplan-k/lab/nkipip",
      "nk.sshd_config=/run/netplan-k/lab/nkipip/ssh/sshd_config",
      "nk.sshd_log=/run/netplan-k/lab/nkipip/hosts/b-1/sshd.log",
    ]);
    const argv = qemuArgv(b1, b1.guest, paths, { kernel: "/k", initramfs: "/i" }, 1500, undefined);
    expect(argv).toContain(`tap,id=net0,ifname=${b1.guest.tap},script=no,downscript=no`);
    expect(argv).toContain(`virtio-net-device,netdev=net0,mac=${b1.guest.mac}`);
    expect(argv).toContain("local,id=root,path=/,security_model=none,readonly=on,multidevs=remap");
    expect(argv.join(" ")).not.toContain("tsc_early_khz");
  });
});
