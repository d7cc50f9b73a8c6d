import { describe, expect, it } from "vitest";
import {
  isIproute2AtLeast,
  MINIMUM_IPROUTE2,
  parseIproute2Version,
} from "../../src/model/iproute2-version.js";

describe("iproute2 versions", () => {
  it("reads both forms ip -V has printed", () => {
    expect(parseIproute2Version("ip utility, iproute2-6.1.0, libbpf 1.1.2")).toEqual({
      kind: "version",
      parts: [6, 1, 0],
    });
    expect(parseIproute2Version("ip utility, iproute2-ss180129")).toEqual({
      kind: "snapshot",
      date: "180129",
    });
    expect(parseIproute2Version("iproute2-5.10.0")).toEqual({ kind: "version", parts: [5, 10, 0] });
    expect(parseIproute2Version("BusyBox v1.35.0 multi-call binary")).toBeUndefined();
  });

  it("compares against the minimum, by version or by release date", () => {
    const atLeast = (text: string) => isIproute2AtLeast(text, MINIMUM_IPROUTE2);
    expect(atLeast("iproute2-6.1.0")).toBe(true);
    expect(atLeast("iproute2-5.0.0")).toBe(true);
    expect(atLeast("iproute2-5.10.0")).toBe(true);
    expect(atLeast("iproute2-4.20.0")).toBe(false);
    expect(atLeast("iproute2-4.9")).toBe(false);
    // Ubuntu 20.04's 5.5.0 prints a date; Ubuntu 18.04's 4.15.0 too.
    expect(atLeast("iproute2-ss200127")).toBe(true);
    expect(atLeast("iproute2-ss180129")).toBe(false);
    expect(atLeast("")).toBeUndefined();
  });
});
