import { describe, expect, test } from "vitest";
import { parseIpAddresses } from "../../src/observe/parse-ip-addresses.js";
import { readJsonFixture } from "./fixtures.js";

describe("parseIpAddresses", () => {
  test("reads the IPv4 addresses of the assorted fixture, and of its IPv6 ones only routed attach's gateway", () => {
    expect(parseIpAddresses(readJsonFixture("kernel/assorted/addr.json"))).toEqual([
      { dev: "lo", cidr: "127.0.0.1/8" },
      { dev: "eth0", cidr: "192.0.2.5/24" },
      { dev: "flannel.1", cidr: "10.1.1.0/32" },
      { dev: "cni0", cidr: "10.1.1.1/24" },
      // The routed veth's kernel-made link-local address: a dual-stack workload's gateway.
      { dev: "vethred", cidr: "fe80::ecee:eeff:feee:eeee/64" },
    ]);
  });

  test("a malformed address names the command and where", () => {
    expect(() =>
      parseIpAddresses([{ ifname: "eth0", addr_info: [{ family: "inet", local: "192.0.2.5" }] }]),
    ).toThrow(
      'ip -j addr show: entry 0: addr_info[0]: "prefixlen" must be a number, found nothing',
    );
  });
});
