import { describe, expect, test } from "vitest";
import { FORWARDING_PORT } from "../../src/model/index.js";
import { parseIpLinks } from "../../src/observe/parse-ip-links.js";
import { RANDOM_MAC, readJsonFixture } from "./fixtures.js";

describe("parseIpLinks", () => {
  test("reads every kind of link of the assorted fixture", () => {
    expect(parseIpLinks(readJsonFixture("kernel/assorted/link.json"))).toEqual([
      { name: "lo", kind: "", mtu: 65536, up: true, mac: "00:00:00:00:00:00" },
      {
        name: "eth0",
        kind: "veth",
        mtu: 1500,
        up: true,
        mac: expect.stringMatching(RANDOM_MAC),
        // The other end of a veth: its index in the namespace of the id this one knows it by.
        ifindex: 2,
        otherEnd: { nsid: 0, ifindex: 2 },
      },
      {
        name: "flannel.1",
        kind: "vxlan",
        mtu: 1450,
        up: true,
        mac: "0e:6a:1c:2b:3d:4f",
        alias: "netplan-k:demo",
        vxlan: { id: 1, local: "192.0.2.5", dev: "eth0", port: 8472, learning: false },
      },
      // Created with mtu 1450, but a bridge takes the smallest MTU of its ports (vethblue: 1500).
      {
        name: "cni0",
        kind: "bridge",
        mtu: 1500,
        up: true,
        mac: expect.stringMatching(RANDOM_MAC),
        alias: "netplan-k:demo",
      },
      {
        name: "vethred",
        kind: "veth",
        mtu: 1450,
        up: true,
        mac: "ee:ee:ee:ee:ee:ee",
        alias: "netplan-k:demo",
        ifindex: 5,
        otherEnd: { nsid: 1, ifindex: 2 },
      },
      {
        name: "vethblue",
        kind: "veth",
        mtu: 1500,
        up: true,
        mac: expect.stringMatching(RANDOM_MAC),
        master: "cni0",
        ifindex: 6,
        otherEnd: { nsid: 2, ifindex: 2 },
        // A bridge port as the kernel makes it (linkinfo.info_slave_data).
        port: FORWARDING_PORT,
      },
    ]);
  });

  test("up is the administrative UP flag, not the operational state", () => {
    const [link] = parseIpLinks([
      { ifname: "x", mtu: 1500, flags: ["BROADCAST", "NO-CARRIER"], operstate: "UP" },
    ]);
    expect(link).toEqual({ name: "x", kind: "", mtu: 1500, up: false });
  });

  test("a vxlan device without local or dev reads them as empty", () => {
    const [link] = parseIpLinks([
      {
        ifname: "vx2",
        mtu: 1500,
        flags: [],
        linkinfo: { info_kind: "vxlan", info_data: { id: 2, port: 4789, learning: true } },
      },
    ]);
    expect(link?.vxlan).toEqual({ id: 2, local: "", dev: "", port: 4789, learning: true });
  });

  test("malformed JSON names the command, the entry and the field", () => {
    expect(() => parseIpLinks({ ifname: "lo" })).toThrow(
      'ip -j -d link show: expected a JSON array, found {"ifname":"lo"}',
    );
    expect(() => parseIpLinks([{ ifname: "lo", mtu: 1, flags: [] }, { mtu: 1500 }])).toThrow(
      'ip -j -d link show: entry 1: "ifname" must be a string, found nothing',
    );
    expect(() => parseIpLinks([{ ifname: "lo", mtu: "1500", flags: [] }])).toThrow(
      'ip -j -d link show: entry 0: "mtu" must be a number, found "1500"',
    );
    expect(() =>
      parseIpLinks([
        { ifname: "v", mtu: 1, flags: [], linkinfo: { info_kind: "vxlan", info_data: { id: 1 } } },
      ]),
    ).toThrow('ip -j -d link show: entry 0: linkinfo: info_data: "port" must be a number');
  });

  test("where a veth's other end is: by name in the same namespace, by id and index elsewhere", () => {
    // red of scripts/record-veth-peer-fixtures.sh: eth1's other end is in the host (red's id
    // 0), eth5's in blue (id 1), eth6's in other (id 2); in0 and in1 are a pair inside red.
    const links = parseIpLinks(readJsonFixture("kernel/veth-peer/red-link.json"));
    const ends = Object.fromEntries(links.map((l) => [l.name, [l.ifindex, l.otherEnd]]));
    expect(ends).toEqual({
      lo: [undefined, undefined],
      eth0: [2, { nsid: 0, ifindex: 2 }],
      eth1: [3, { nsid: 0, ifindex: 3 }],
      eth2: [4, { nsid: 0, ifindex: 4 }],
      eth3: [5, { nsid: 0, ifindex: 5 }],
      eth4: [6, { nsid: 0, ifindex: 6 }],
      eth5: [7, { nsid: 1, ifindex: 2 }],
      eth6: [8, { nsid: 2, ifindex: 2 }],
      in1: [9, { name: "in0" }],
      in0: [10, { name: "in1" }],
    });
  });

  test("what a link is stacked on: a macvlan's top-level link, a VXLAN device's info_data", () => {
    // The host of scripts/record-lower-device-fixtures.sh: fab0 and eth0 are a veth pair (their
    // "link" is the other end), mvx0 and mvown macvlans on nkblue, the zvx VXLAN devices on
    // flannel.1, cni0, a veth and mvown.
    const links = parseIpLinks(readJsonFixture("kernel/lower-device/host-link.json"));
    const lowers = Object.fromEntries(links.map((l) => [l.name, [l.lower, l.vxlan?.dev]]));
    expect(lowers).toEqual({
      lo: [undefined, undefined],
      fab0: [undefined, undefined],
      eth0: [undefined, undefined],
      "flannel.1": [undefined, "eth0"],
      cni0: [undefined, undefined],
      nk0123456789a: [undefined, undefined],
      nkblue: [undefined, undefined],
      zvx3: [undefined, "flannel.1"],
      zvx4: [undefined, "cni0"],
      zvx5: [undefined, "nk0123456789a"],
      mvx0: ["nkblue", undefined],
      mvown: ["nkblue", undefined],
      zvx7: [undefined, "mvown"],
      zvx8: [undefined, "flannel.1"],
    });
  });
});
