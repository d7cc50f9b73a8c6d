import { describe, expect, test } from "vitest";
import { hostVethName, vtepMac } from "../../src/modes/naming.js";

describe("naming", () => {
  test("host veth names are fixed by topology and workload, and fit the kernel's 15 characters", () => {
    expect(hostVethName("hostgw-demo", "red")).toBe("nk9db2663e7b1");
    expect(hostVethName("other", "red")).not.toBe("nk9db2663e7b1");
    expect(hostVethName("a".repeat(32), "b".repeat(32))).toMatch(/^nk[0-9a-f]{11}$/);
  });

  test("VTEP MACs are fixed, unicast and locally administered", () => {
    const mac = vtepMac("vxlan-demo", "node-1");
    expect(vtepMac("vxlan-demo", "node-1")).toBe(mac);
    expect(vtepMac("vxlan-demo", "node-2")).not.toBe(mac);
    expect(mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(Number.parseInt(mac.slice(0, 2), 16) & 0x03).toBe(0x02);
  });
});
