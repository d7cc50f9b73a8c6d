import { describe, expect, test } from "vitest";
import { bgp } from "../../src/modes/bgp.js";
import { renderBirdConfig } from "../../src/modes/bird-config.js";
import { buildHostContext } from "../../src/modes/host-context.js";
import { buildHosts, buildTopology } from "./topology-fixture.js";

describe("bgp", () => {
  test("originates the block as a blackhole and hands the rest to BIRD", () => {
    const topology = buildTopology({ mode: "bgp", hosts: buildHosts(3) });
    const [host] = topology.hosts;
    if (host === undefined) throw new Error("fixture");
    expect(bgp.compileHost(buildHostContext(topology, host, 1500))).toEqual({
      root: {
        routes: [
          {
            dst: "10.244.1.0/24",
            table: 254,
            type: "blackhole",
            metric: 1024,
            onlink: false,
            scope: "global",
            protocol: 77,
          },
        ],
      },
      files: [{ path: "/etc/bird/bird.conf", content: renderBirdConfig(topology, host) }],
      services: [{ name: "bird", running: true, configPath: "/etc/bird/bird.conf" }],
    });
  });

  test("has no encapsulation overhead", () => {
    expect(bgp.overhead).toBe(0);
  });
});
