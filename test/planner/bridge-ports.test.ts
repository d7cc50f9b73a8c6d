import { describe, expect, it } from "vitest";
import { FORWARDING_PORT, type HostState, type Link } from "../../src/model/index.js";
import { changeCommands } from "../../src/applier/change-commands.js";
import { parseIpLinks } from "../../src/observe/parse-ip-links.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { desiredVxlanHost, diff, observedVxlanHost, VETH } from "./states.js";

// Ports of a bridge recorded in a namespace (test/fixtures/kernel/truth-faults): nka as made,
// nkb set to `state 1`, nkc to `state 2`, nkd to `learning off flood off`, nke down.
const recorded = new Map(
  parseIpLinks(readJsonFixture("kernel/truth-faults/link-bridge-ports.json")).map((l) => [
    l.name,
    l,
  ]),
);
const recordedPort = (name: string): Link["port"] => recorded.get(name)?.port;

/** The converged vxlan host whose workload port on cni0 is as `fields` say. */
function withPort(fields: Partial<Link>): HostState {
  const observed = observedVxlanHost();
  return {
    ...observed,
    root: {
      ...observed.root,
      links: observed.root.links.map((link) =>
        link.name === VETH ? { ...link, ...fields } : link,
      ),
    },
  };
}

const reasons = (observed: HostState) => {
  const plan = diff(desiredVxlanHost(), observed);
  return [...plan.changes.map((c) => c.reason), ...plan.conflicts.map((c) => c.reason)];
};

describe("a workload's port on the cluster bridge that does not forward is repaired", () => {
  it("reads the port's state, learning and flood from ip -j -d link", () => {
    expect(
      [...recorded.values()].filter((l) => l.port !== undefined).map((l) => [l.name, l.port]),
    ).toEqual([
      // As the kernel makes a port (FORWARDING_PORT), but for what each was set to.
      ["nka", FORWARDING_PORT],
      ["nkb", { ...FORWARDING_PORT, state: "listening" }],
      ["nkc", { ...FORWARDING_PORT, state: "learning" }],
      ["nkd", { ...FORWARDING_PORT, learning: false, flood: false }],
      ["nke", { ...FORWARDING_PORT, state: "disabled" }],
    ]);
  });

  it("a port left listening or learning: the state goes back to forwarding", () => {
    for (const [name, state] of [
      ["nkb", "listening"],
      ["nkc", "learning"],
    ] as const) {
      const plan = diff(desiredVxlanHost(), withPort({ port: recordedPort(name) }));
      expect(plan.conflicts).toEqual([]);
      expect(plan.changes).toEqual([
        expect.objectContaining({
          kind: "link",
          action: "update",
          key: VETH,
          reason: `link ${VETH}: port state ${state} → forwarding`,
          after: expect.objectContaining({
            port: FORWARDING_PORT,
          }),
        }),
      ]);
    }
  });

  it("an isolated port, or one with bcast_flood or mcast_flood off, is set back", () => {
    // test/fixtures/kernel/truth-faults/link-bridge-port-flags.json: nka and nkb isolated,
    // nkc bcast_flood off, nkd mcast_flood off.
    const flagged = new Map(
      parseIpLinks(readJsonFixture("kernel/truth-faults/link-bridge-port-flags.json")).map(
        (link) => [link.name, link.port],
      ),
    );
    const forwarding = { ...FORWARDING_PORT };
    expect(flagged.get("nka")).toEqual({ ...forwarding, isolated: true });
    expect(flagged.get("nkc")).toEqual({ ...forwarding, bcastFlood: false });
    expect(flagged.get("nkd")).toEqual({ ...forwarding, mcastFlood: false });
    for (const [name, field, from, to] of [
      ["nka", "isolated", "on", "off"],
      ["nkc", "bcast_flood", "off", "on"],
      ["nkd", "mcast_flood", "off", "on"],
    ] as const) {
      const plan = diff(desiredVxlanHost(), withPort({ port: flagged.get(name) }));
      expect(plan.changes.map((change) => change.reason)).toEqual([
        `link ${VETH}: port ${field} ${from} → ${to}`,
      ]);
      expect(changeCommands(plan.changes[0]!).flatMap((group) => group.lines)).toContain(
        `link set dev ${VETH} type bridge_slave state 3 learning on flood on isolated off bcast_flood on mcast_flood on`,
      );
    }
  });

  it("learning and flood both off: both go back on", () => {
    expect(reasons(withPort({ port: recordedPort("nkd") }))).toEqual([
      `link ${VETH}: port learning off → on, port flood off → on`,
    ]);
  });

  it("no false alarm: a forwarding port, one of learning or flood off, a down port (its state says it)", () => {
    expect(reasons(withPort({ port: recordedPort("nka") }))).toEqual([]);
    const forwarding = { state: "forwarding", learning: true, flood: true };
    expect(reasons(withPort({ port: { ...forwarding, learning: false } }))).toEqual([]);
    expect(reasons(withPort({ port: { ...forwarding, flood: false } }))).toEqual([]);
    expect(reasons(withPort({ up: false, port: recordedPort("nke") }))).toEqual([
      `link ${VETH}: state down → up`,
    ]);
  });

  it("a port on a foreign bridge is a master change, not a port change", () => {
    expect(reasons(withPort({ master: "ztother0", port: recordedPort("nkb") }))).toEqual([
      expect.stringContaining(`link ${VETH}: master ztother0 → cni0`),
    ]);
  });
});
