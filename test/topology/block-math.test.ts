import { Address4, Address6 } from "ip-address";
import { describe, expect, test } from "vitest";
import {
  addressAt,
  addressText,
  blockAt,
  blockCount,
  cidrText,
  isNetwork,
  offsetOf,
  overlaps,
} from "../../src/topology/block-math.js";
import { parseIpv6 } from "../../src/topology/parse-address.js";

describe("block arithmetic answers in the family it is given", () => {
  test("IPv4 blocks as before", () => {
    const cluster = new Address4("10.244.0.0/16");
    expect(blockCount(cluster, 24)).toBe(256n);
    expect(cidrText(blockAt(cluster, 24, 9n))).toBe("10.244.9.0/24");
    const address = addressAt(blockAt(cluster, 24, 9n), 2n);
    expect(address).toBeInstanceOf(Address4);
    expect(address.address).toBe("10.244.9.2");
  });

  test("IPv6 blocks of a /56 are /64s, addressed in compressed form", () => {
    const cluster = new Address6("fd00:10:244::/56");
    expect(blockCount(cluster, 64)).toBe(256n);
    const block = blockAt(cluster, 64, 255n);
    expect(block).toBeInstanceOf(Address6);
    expect(cidrText(block)).toBe("fd00:10:244:ff::/64");
    expect(isNetwork(block)).toBe(true);
    const address = addressAt(block, 0x1_0000n);
    expect(addressText(address)).toBe("fd00:10:244:ff::1:0");
    expect(offsetOf(block, address)).toBe(0x1_0000n);
    expect(overlaps(block, cluster)).toBe(true);
    expect(overlaps(block, new Address6("fd00:10:245::/56"))).toBe(false);
  });
});

describe("parseIpv6 says which part is wrong", () => {
  test.each([
    ["fd00::/129", true, "prefix length /129 is over 128"],
    ["fd00:::1", false, "it has three colons in a row"],
    ["fd00::1::2", false, '"::" may stand for zeros only once'],
    ["fd00:1:2:3:4:5:6:7:8", false, "it is not an IPv6 address"],
  ])("%s", (text, withPrefix, problem) => {
    expect(parseIpv6(text, withPrefix)).toEqual({ ok: false, problem });
  });

  test("a valid value parses", () => {
    const parsed = parseIpv6("2001:db8:2::11/64", true);
    expect(parsed.ok && cidrText(parsed.address)).toBe("2001:db8:2::/64");
  });
});
