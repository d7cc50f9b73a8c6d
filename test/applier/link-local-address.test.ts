import { describe, expect, it } from "vitest";
import { linkLocalOfMac } from "../../src/applier/link-local-address.js";

describe("linkLocalOfMac", () => {
  // Each pair read off `ip -j addr` of a veth in a namespace here, after `ip link set up`.
  it("is the link-local address the kernel derives from the MAC", () => {
    expect(linkLocalOfMac("ee:ee:ee:ee:ee:ee")).toBe("fe80::ecee:eeff:feee:eeee");
    expect(linkLocalOfMac("06:c1:60:b3:92:cf")).toBe("fe80::4c1:60ff:feb3:92cf");
    expect(linkLocalOfMac("3A:90:AB:79:33:B0")).toBe("fe80::3890:abff:fe79:33b0");
  });
});
