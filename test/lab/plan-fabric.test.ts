import { describe, expect, it } from "vitest";
import { desiredFabric } from "../../src/lab/desired-fabric.js";
import type { FabricAction } from "../../src/lab/fabric-plan.js";
import { EMPTY_FABRIC, IP_FORWARD } from "../../src/lab/fabric-state.js";
import { layoutLab } from "../../src/lab/lab-layout.js";
import { fabricPortName, labMarker } from "../../src/lab/lab-names.js";
import { parseFabricObservation } from "../../src/lab/parse-fabric-observation.js";
import { planFabric } from "../../src/lab/plan-fabric.js";
import type { Host, Topology } from "../../src/topology/topology.js";
import { readRecordedFabric } from "./fabric-fixtures.js";
import { labHost } from "./lab-fixture.js";

// Planned against fabrics recorded from a real lab "ylfx": router gw joins 192.0.2.0/24 (hosts
// a, b, the controller) and 198.51.100.0/24 (host c); see fixtures/record-fabric.mjs.
const converged = readRecordedFabric("converged");
const damaged = readRecordedFabric("damaged");
const { spec } = converged.lab;
const observedConverged = parseFabricObservation(converged.observation, spec.prefix);
const observedDamaged = parseFabricObservation(damaged.observation, spec.prefix);
const fabric = "ylfx-fabric";
const lanBridge = "br-c0000200-24";
const port = (namespace: string): string => fabricPortName(namespace, "eth0");

const withHosts = (hosts: readonly Host[]): Topology => ({ ...converged.lab.topology, hosts });
const hostsOf = converged.lab.topology.hosts;
const planFor = (topology: Topology, observed = observedConverged) =>
  planFabric(desiredFabric(layoutLab(topology, spec)), observed);
/** The steps that change something, as [namespace, actions]. */
const changes = (plan: ReturnType<typeof planFor>): [string, readonly FabricAction[]][] =>
  plan.steps.filter((step) => step.actions.length > 0).map((s) => [s.namespace, s.actions]);

/** The actions that make a host on the 192.0.2.0/24 segment from nothing but its namespace. */
const freshHostActions = (namespace: string, address: string): FabricAction[] => [
  {
    kind: "add-link",
    link: {
      namespace,
      name: "eth0",
      kind: "veth",
      mtu: 1450,
      up: true,
      peer: { namespace: fabric, name: port(namespace) },
    },
  },
  {
    kind: "set-link",
    link: {
      namespace,
      name: "eth0",
      kind: "veth",
      mtu: 1450,
      up: true,
      peer: { namespace: fabric, name: port(namespace) },
    },
  },
  {
    kind: "set-link",
    link: {
      namespace: fabric,
      name: port(namespace),
      kind: "veth",
      master: lanBridge,
      mtu: 1450,
      up: true,
    },
  },
  { kind: "add-address", address: { namespace, dev: "eth0", cidr: `${address}/24` } },
  {
    kind: "replace-route",
    route: { namespace, dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
  },
];

describe("planFabric against a recorded lab", () => {
  it("has nothing to do when the lab is as its topology says (lab up twice)", () => {
    const plan = planFor(converged.lab.topology);
    expect(plan.refusals).toEqual([]);
    expect(plan.removals).toEqual([]);
    expect(plan.steps.map((step) => step.namespace)).toEqual([
      fabric,
      "ylfx-r-gw",
      "ylfx-ctl",
      "ylfx-a",
      "ylfx-b",
      "ylfx-c",
    ]);
    expect(changes(plan)).toEqual([]);
  });

  it("repairs what was broken by hand, and leaves the unmarked namespace alone", () => {
    const plan = planFor(converged.lab.topology, observedDamaged);
    expect(plan.refusals).toEqual([]);
    expect(plan.removals).toEqual([]);
    expect(changes(plan)).toEqual([
      [fabric, [{ kind: "delete-link", namespace: fabric, name: "br-stale" }]],
      [
        "ylfx-r-gw",
        [
          {
            kind: "set-sysctl",
            sysctl: { namespace: "ylfx-r-gw", key: IP_FORWARD, value: "1" },
          },
        ],
      ],
      [
        "ylfx-a",
        [
          {
            kind: "delete-address",
            address: { namespace: "ylfx-a", dev: "eth0", cidr: "192.0.2.99/24" },
          },
          // Removing an address may take routes through its subnet along: set them again.
          {
            kind: "replace-route",
            route: { namespace: "ylfx-a", dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
          },
        ],
      ],
      ["ylfx-b", freshHostActions("ylfx-b", "192.0.2.32")],
    ]);
  });

  it("builds an added host and touches no other", () => {
    const plan = planFor(withHosts([...hostsOf, labHost("d", "192.0.2.34")]));
    expect(plan.removals).toEqual([]);
    expect(changes(plan)).toEqual([
      [
        "ylfx-d",
        [
          { kind: "add-namespace", namespace: "ylfx-d" },
          {
            kind: "set-link",
            link: { namespace: "ylfx-d", name: "lo", up: true, alias: labMarker("ylfx") },
          },
          ...freshHostActions("ylfx-d", "192.0.2.34"),
        ],
      ],
    ]);
  });

  it("removes a host that left the topology: its namespace, and its port in the fabric", () => {
    const plan = planFor(withHosts(hostsOf.filter((host) => host.name !== "b")));
    expect(plan.removals).toEqual(["ylfx-b"]);
    expect(changes(plan)).toEqual([
      [fabric, [{ kind: "delete-link", namespace: fabric, name: port("ylfx-b") }]],
    ]);
  });

  it("renumbers a host within its segment: the address, then its routes again", () => {
    const plan = planFor(
      withHosts(hostsOf.map((h) => (h.name === "a" ? labHost("a", "192.0.2.41") : h))),
    );
    expect(changes(plan)).toEqual([
      [
        "ylfx-a",
        [
          {
            kind: "delete-address",
            address: { namespace: "ylfx-a", dev: "eth0", cidr: "192.0.2.31/24" },
          },
          {
            kind: "add-address",
            address: { namespace: "ylfx-a", dev: "eth0", cidr: "192.0.2.41/24" },
          },
          {
            kind: "replace-route",
            route: { namespace: "ylfx-a", dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
          },
        ],
      ],
    ]);
  });

  it("moves a host to the other segment: its port, address and routes follow", () => {
    const plan = planFor(
      withHosts(hostsOf.map((h) => (h.name === "c" ? labHost("c", "192.0.2.33") : h))),
    );
    expect(changes(plan)).toEqual([
      [
        "ylfx-c",
        [
          {
            kind: "set-link",
            link: {
              namespace: fabric,
              name: port("ylfx-c"),
              kind: "veth",
              master: lanBridge,
              mtu: 1450,
              up: true,
            },
          },
          {
            kind: "delete-address",
            address: { namespace: "ylfx-c", dev: "eth0", cidr: "198.51.100.33/24" },
          },
          {
            kind: "add-address",
            address: { namespace: "ylfx-c", dev: "eth0", cidr: "192.0.2.33/24" },
          },
          {
            kind: "delete-route",
            route: { namespace: "ylfx-c", dst: "192.0.2.0/24", via: "198.51.100.1", dev: "eth0" },
          },
          {
            kind: "replace-route",
            route: { namespace: "ylfx-c", dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0" },
          },
        ],
      ],
    ]);
  });

  it("sets a changed MTU on both ends of every veth", () => {
    const plan = planFor({
      ...converged.lab.topology,
      cluster: { ...converged.lab.topology.cluster, mtu: 1400 },
    });
    const setLinks = changes(plan).flatMap(([, actions]) =>
      actions.map((a) => (a.kind === "set-link" ? `${a.link.namespace}/${a.link.name}` : a.kind)),
    );
    // Router, controller and 3 hosts on 6 legs (the router has two): 6 veths, 12 ends.
    expect(setLinks).toHaveLength(12);
    expect(setLinks.filter((name) => name.startsWith(`${fabric}/`))).toHaveLength(6);
  });

  it("refuses, changing nothing, when a namespace it needs was not made by the lab", () => {
    const plan = planFor(withHosts([...hostsOf, labHost("zz", "192.0.2.35")]), observedDamaged);
    expect(plan).toEqual({ refusals: ["ylfx-zz"], steps: [], removals: [] });
  });
});

describe("planFabric against an empty desired fabric (lab down)", () => {
  it("removes every namespace the lab made, and only those", () => {
    expect(planFabric(EMPTY_FABRIC, observedConverged).removals).toEqual([
      "ylfx-a",
      "ylfx-b",
      "ylfx-c",
      fabric,
      "ylfx-r-gw",
      "ylfx-ctl",
    ]);
    expect(planFabric(EMPTY_FABRIC, observedDamaged).removals).not.toContain("ylfx-zz");
    expect(planFabric(EMPTY_FABRIC, EMPTY_FABRIC)).toEqual({
      refusals: [],
      steps: [],
      removals: [],
    });
  });
});
