import { describe, expect, it } from "vitest";
import { CLUSTER_DEFAULTS } from "../../src/topology/cluster-defaults.js";

describe("CLUSTER_DEFAULTS", () => {
  it("are the schema's defaults, as the README documents them", () => {
    expect(CLUSTER_DEFAULTS).toEqual({
      hostPrefix: 24,
      hostPrefixV6: 64,
      attach: "bridge",
      mtu: 1500,
      vxlan: { vni: 1, port: 8472, directRouting: false },
      ipip: { crossSubnet: false },
      bgp: { asn: 64512, reflectors: [] },
    });
  });
});
