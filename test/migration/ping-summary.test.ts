import { describe, expect, it } from "vitest";
import { outageMs, packetsLost, parsePingCount } from "./workload-traffic.js";

describe("parsePingCount", () => {
  it("reads iputils' summary, errors and all", () => {
    const count = parsePingCount(
      "PING 10.46.1.2 (10.46.1.2) 56(84) bytes of data.\n\n--- 10.46.1.2 ping statistics ---\n" +
        "135 packets transmitted, 131 received, +1 errors, 2.96296% packet loss, time 2680ms\n",
    );
    expect(count).toEqual({ transmitted: 135, received: 131, elapsedMs: 2680 });
    expect(packetsLost(count)).toBe(4);
    // 2680 ms over 134 intervals: 20 ms each.
    expect(outageMs(count)).toBe(80);
  });

  it("refuses output without a summary", () => {
    expect(() => parsePingCount("ping: connect: Network is unreachable\n")).toThrow(
      /no ping summary/,
    );
  });
});
