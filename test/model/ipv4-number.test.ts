import { Address4 } from "ip-address";
import { describe, expect, it } from "vitest";
import {
  formatIpv4,
  ipv4Mask,
  isIpv4PrefixInside,
  parseIpv4Prefix,
} from "../../src/model/ipv4-number.js";

/** Texts of every shape a route destination or a block takes, and some that are neither. */
const texts = [
  "10.244.1.0/24",
  "10.244.1.5",
  "0.0.0.0/0",
  "255.255.255.255/32",
  "192.0.2.9/31",
  "10.0.0.0/8",
  "10.255.0.0/16",
  "11.0.0.0/8",
  "default",
  "10.244.1.0/33",
  "10.244.01.0/24",
  "256.1.1.1",
  "fe80::1/64",
];

describe("parseIpv4Prefix", () => {
  it("accepts exactly what ip-address accepts, with the same address and length", () => {
    for (const text of texts) {
      const parsed = parseIpv4Prefix(text);
      expect(parsed !== undefined, text).toBe(Address4.isValid(text));
      if (parsed === undefined) continue;
      const reference = new Address4(text);
      expect(formatIpv4(parsed.address), text).toBe(reference.correctForm());
      expect(parsed.length, text).toBe(reference.subnetMask);
    }
  });
});

describe("isIpv4PrefixInside", () => {
  it("agrees with ip-address's isInSubnet for every pair", () => {
    const valid = texts.filter((text) => Address4.isValid(text));
    for (const inner of valid) {
      for (const outer of valid) {
        const mine = isIpv4PrefixInside(
          parseIpv4Prefix(inner) as NonNullable<ReturnType<typeof parseIpv4Prefix>>,
          parseIpv4Prefix(outer) as NonNullable<ReturnType<typeof parseIpv4Prefix>>,
        );
        expect(mine, `${inner} in ${outer}`).toBe(
          new Address4(inner).isInSubnet(new Address4(outer)),
        );
      }
    }
  });
});

describe("ipv4Mask", () => {
  it("gives no bits for /0 and all bits for /32", () => {
    expect(formatIpv4(ipv4Mask(0))).toBe("0.0.0.0");
    expect(formatIpv4(ipv4Mask(20))).toBe("255.255.240.0");
    expect(formatIpv4(ipv4Mask(32))).toBe("255.255.255.255");
  });
});
