import { describe, expect, test } from "vitest";
import { parseIpLinks } from "../../src/observe/parse-ip-links.js";
import { RANDOM_MAC, readJsonFixture } from "./fixtures.js";

describe("parseIpLinks", () => {
  test("reads every kind of link of the assorted fixture", () => {
    expect(parseIpLinks(readJsonFixture("kernel/assorted/link.json"))).toEqual([
      { name: "lo", kind: "", mtu: 65536, up: true, mac: "00:00:00:00:00:00" },
      { name: "eth0", kind: "veth", mtu: 1500, up: true, mac: expect.stringMatching(RANDOM_MAC) },
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
      },
      {
        name: "vethblue",
        kind: "veth",
        mtu: 1500,
        up: true,
        mac: expect.stringMatching(RANDOM_MAC),
        master: "cni0",
        // A bridge port: how the bridge forwards through it (linkinfo.info_slave_data).
        port: { state: "forwarding", learning: true, flood: true },
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
});
