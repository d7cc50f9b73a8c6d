import { describe, expect, it } from "vitest";
import type { HostState, Link } from "../../src/model/index.js";
import { MINIMUM_IPROUTE2 } from "../../src/model/index.js";
import { parseIpLinks } from "../../src/observe/parse-ip-links.js";
import { checkPreconditions } from "../../src/planner/check-preconditions.js";
import { changeCommands } from "../../src/applier/change-commands.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { desiredVxlanHost, diff, observedVxlanHost, VETH } from "./states.js";

// Recorded on lab host node-1 of a vxlan attach bridge lab (test/fixtures/kernel/truth-faults):
// `ip link set eth0 arp off`, `ip link set cni0 arp off`, `ip link set cni0 type bridge
// stp_state 1` in the host, `ip -n red link set eth0 arp off` in workload red.
const hostLinks = parseIpLinks(readJsonFixture("kernel/truth-faults/link-noarp-stp.json"));
const redLinks = parseIpLinks(readJsonFixture("kernel/truth-faults/link-noarp-workload.json"));
const recorded = (links: readonly Link[], name: string): Link => {
  const found = links.find((l) => l.name === name);
  if (found === undefined) throw new Error(`no ${name} in the fixture`);
  return found;
};

/** The converged vxlan host of states.ts with root link `name` given `fields`. */
function withRootLink(name: string, fields: Partial<Link>): HostState {
  const observed = observedVxlanHost();
  const links = observed.root.links.map((l) => (l.name === name ? { ...l, ...fields } : l));
  return { ...observed, root: { ...observed.root, links } };
}

const reasons = (observed: HostState): string[] => {
  const plan = diff(desiredVxlanHost(), observed);
  return [...plan.changes.map((c) => c.reason), ...plan.conflicts.map((c) => c.reason)];
};

describe("ARP switched off and STP switched on, read from ip -j -d link", () => {
  it("reads NOARP on eth0, cni0 and the workload's eth0, and STP on cni0; nothing else", () => {
    expect(hostLinks.map((l) => [l.name, l.noarp ?? false, l.stp ?? false])).toEqual([
      ["lo", false, false],
      ["eth0", true, false],
      ["cni0", true, true],
      ["flannel.1", false, false],
      [expect.stringMatching(/^nk/), false, false],
    ]);
    expect(redLinks.map((l) => [l.name, l.noarp ?? false])).toEqual([
      ["lo", false],
      ["eth0", true],
    ]);
  });

  it("NOARP is not read on a device without ARP by nature (tunl0: no BROADCAST flag)", () => {
    const [tunl0] = parseIpLinks([
      { ifname: "tunl0", flags: ["NOARP", "UP", "LOWER_UP"], mtu: 1480 },
    ]);
    expect(tunl0?.noarp).toBeUndefined();
  });
});

describe("ARP off or STP on, on links netplan-k owns, is repaired", () => {
  it("cni0 with ARP off and STP on: arp on, stp_state 0, in one link set", () => {
    const cni0 = recorded(hostLinks, "cni0");
    const plan = diff(
      desiredVxlanHost(),
      withRootLink("cni0", { noarp: cni0.noarp, stp: cni0.stp }),
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes.map((c) => c.reason)).toEqual(["link cni0: arp off → on, stp on → off"]);
    const [change] = plan.changes;
    if (change === undefined) throw new Error("no change");
    expect(changeCommands(change).flatMap((group) => group.lines)).toEqual([
      "link set dev cni0 arp on type bridge stp_state 0",
    ]);
  });

  it("the workload's eth0 with ARP off: arp on inside its namespace", () => {
    const observed = observedVxlanHost();
    const eth0 = recorded(redLinks, "eth0");
    const namespaces = observed.namespaces.map((ns) => ({
      ...ns,
      net: {
        ...ns.net,
        links: ns.net.links.map((l) => (l.name === "eth0" ? { ...l, noarp: eth0.noarp } : l)),
      },
    }));
    const plan = diff(desiredVxlanHost(), { ...observed, namespaces });
    expect(plan.changes.map((c) => [c.netns, c.reason])).toEqual([
      ["red", "link eth0: arp off → on"],
    ]);
  });

  it("no change: ARP off on a bridge's port or on the VTEP (measured: packets still flow)", () => {
    expect(reasons(withRootLink(VETH, { noarp: true }))).toEqual([]);
    expect(reasons(withRootLink("flannel.1", { noarp: true }))).toEqual([]);
  });
});

describe("ARP off on the underlay interface refuses the host", () => {
  it("names the host's interface, the flag found and what to do", () => {
    const state = withRootLink("eth0", { noarp: recorded(hostLinks, "eth0").noarp });
    const shortfalls = checkPreconditions(
      {
        underlay: {
          interface: "eth0",
          address: "192.168.64.5",
          prefix: 24,
          mtu: 1500,
          overlayMtu: 1450,
          overhead: 50,
          mode: "vxlan",
        },
        drivers: [],
        iproute2: MINIMUM_IPROUTE2,
        bird: false,
      },
      {
        host: "node-a",
        state,
        facts: { drivers: {}, iproute2: "iproute2-6.1.0", kernel: "6.1.0" },
      },
    );
    expect(shortfalls).toEqual([
      "the underlay interface eth0 has ARP off (flag NOARP), so it neither resolves its peers' " +
        "MACs nor answers their requests, and no packet reaches a peer: turn it on (ip link set " +
        "eth0 arp on).",
    ]);
  });
});
