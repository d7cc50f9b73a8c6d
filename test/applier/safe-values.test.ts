import { describe, expect, it } from "vitest";
import { safeCidr, safeIpv4 } from "../../src/applier/safe-values.js";

describe("safeIpv4", () => {
  it.each(["10.0.0.1", "0.0.0.0", "255.255.255.255"])("lets %s into a command", (value) => {
    expect(safeIpv4(value)).toBe(value);
  });

  it.each(["10.0.0.256", "010.0.0.1", "10.0.0", "10.0.0.1/32", " 10.0.0.1", "10.0.0.1;id", ""])(
    "refuses %j with the applier's code",
    (value) => {
      expect(() => safeIpv4(value, "gateway")).toThrow(
        expect.objectContaining({
          code: "apply.unsafe-value",
          message: `gateway ${JSON.stringify(value)} is not an IPv4 address; refusing to put it in a command`,
        }),
      );
    },
  );
});

describe("safeCidr", () => {
  it.each(["10.244.1.0/24", "0.0.0.0/0", "10.244.1.2/32"])("lets %s into a command", (value) => {
    expect(safeCidr(value)).toBe(value);
  });

  it.each([
    "10.244.1.0/33",
    "10.244.1.0/08",
    "10.244.1.0",
    "10.244.1.0/24/1",
    "10.244.1.0/",
    "1.2.3.4/24 x",
  ])("refuses %j", (value) => {
    expect(() => safeCidr(value)).toThrow(/is not an IPv4 prefix in CIDR form/);
  });
});
