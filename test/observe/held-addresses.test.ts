import { describe, expect, test } from "vitest";
import type { ObservedHost } from "../../src/model/index.js";
import { heldAddresses } from "../../src/observe/held-addresses.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { readFixture } from "./fixtures.js";

/** The recorded converged hosts of an example (see test/fixtures/README.md). */
const converged = (example: string, hosts: readonly string[]): ObservedHost[] =>
  hosts.map((host) => parseObservation(host, readFixture(`converged/${example}/${host}.txt`)));

/** Blocks and workload addresses as plain text, to compare. */
function textOf(held: ReturnType<typeof heldAddresses>) {
  return {
    blocks: Object.fromEntries([...held.blocks].map(([h, b]) => [h, b.address])),
    ips: Object.fromEntries(
      [...held.ips].map(([h, ips]) => [
        h,
        Object.fromEntries([...ips].map(([w, ip]) => [w, ip.addressMinusSuffix])),
      ]),
    ),
  };
}

describe("heldAddresses", () => {
  test("vxlan with bridges: the block from cni0's and the VTEP's addresses, workloads from eth0", () => {
    const observed = converged("vxlan", ["node-1", "node-2", "node-3"]);
    const held = heldAddresses(observed, {
      topology: "vxlan-demo",
      clusterCidr: "10.1.0.0/16",
      hostPrefix: 24,
    });
    expect(textOf(held)).toEqual({
      blocks: { "node-1": "10.1.15.0/24", "node-2": "10.1.16.0/24", "node-3": "10.1.17.0/24" },
      ips: {
        "node-1": { red: "10.1.15.2" },
        "node-2": { blue: "10.1.16.2" },
        "node-3": { green: "10.1.17.2" },
      },
    });
  });

  test("host-gw with routed workloads: no owned address in the root, the workload tells", () => {
    const observed = converged("host-gw", ["node-1", "node-2"]);
    const held = heldAddresses(observed, {
      topology: "hostgw-demo",
      clusterCidr: "172.17.0.0/16",
      hostPrefix: 24,
    });
    expect(textOf(held)).toEqual({
      blocks: { "node-1": "172.17.8.0/24", "node-2": "172.17.9.0/24" },
      ips: { "node-1": { red: "172.17.8.2" }, "node-2": { blue: "172.17.9.2" } },
    });
  });

  test("another topology's objects, or addresses outside the cluster, are no evidence", () => {
    const observed = converged("vxlan", ["node-1"]);
    const scope = { clusterCidr: "10.1.0.0/16", hostPrefix: 24 };
    expect(textOf(heldAddresses(observed, { ...scope, topology: "other" }))).toEqual({
      blocks: {},
      ips: {},
    });
    const elsewhere = { topology: "vxlan-demo", clusterCidr: "10.200.0.0/16", hostPrefix: 24 };
    expect(textOf(heldAddresses(observed, elsewhere))).toEqual({ blocks: {}, ips: {} });
  });

  test("evidence of two blocks (a half-done move) holds no block; the workload keeps its address", () => {
    const [node1] = converged("vxlan", ["node-1"]);
    if (node1 === undefined) throw new Error("fixture missing");
    const moved: ObservedHost = {
      ...node1,
      state: {
        ...node1.state,
        root: {
          ...node1.state.root,
          addresses: node1.state.root.addresses.map((a) =>
            a.dev === "cni0" ? { ...a, cidr: "10.1.99.1/24" } : a,
          ),
        },
      },
    };
    const held = heldAddresses([moved], {
      topology: "vxlan-demo",
      clusterCidr: "10.1.0.0/16",
      hostPrefix: 24,
    });
    expect(textOf(held)).toEqual({ blocks: {}, ips: { "node-1": { red: "10.1.15.2" } } });
  });
});
