import { execa } from "execa";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNetnsTransport } from "../../src/transport/netns-transport.js";
import { checkBgpSessions, renderBgpTable, type HostBgpSessions } from "../../src/verify/index.js";

/**
 * Two BIRD 2 speakers in namespaces on a veth pair (iBGP, 192.0.2.1 <-> 192.0.2.2), asked
 * through netns transports on their own control sockets. Namespaces nkfx-vf-bgp-*: not
 * under the lab test's prefix (nkfx-vf-lab), which lab down sweeps.
 */
const sides = ["a", "b"] as const;
type Side = (typeof sides)[number];
const ns = (side: Side) => `nkfx-vf-bgp-${side}`;
const address = { a: "192.0.2.1", b: "192.0.2.2" };
const peerOf = { a: "b", b: "a" } as const;

const config = (side: Side): string => `router id ${address[side]};
protocol device {}
protocol direct { ipv4; interface "eth0"; }
protocol bgp peer_${peerOf[side]} {
  local ${address[side]} as 64512;
  neighbor ${address[peerOf[side]]} as 64512;
  direct;
  connect delay time 1;
  ipv4 { import all; export none; };
}
`;

const ip = (...args: string[]) => execa("ip", args);

describe("checkBgpSessions against BIRD 2", () => {
  let work = "";
  const socket = (side: Side) => `${work}/${side}.ctl`;
  const pidFile = (side: Side) => `${work}/${side}.pid`;
  const transport = (side: Side) =>
    createNetnsTransport(side, ns(side), { mountNamespaceDir: "/run/nkfx-vf-bgp-none" });

  // In the foreground (-f), as children of this process: they are killed and reaped here,
  // whatever the machine's init does with orphans.
  const birds = new Map<Side, ReturnType<typeof execa>>();
  const startBird = (side: Side) => {
    const bird = execa(
      "ip",
      [
        "netns",
        "exec",
        ns(side),
        "bird",
        "-f",
        "-c",
        `${work}/${side}.conf`,
        "-s",
        socket(side),
        "-P",
        pidFile(side),
      ],
      { reject: false },
    );
    birds.set(side, bird);
  };
  const stopBird = async (side: Side) => {
    const bird = birds.get(side);
    birds.delete(side);
    bird?.kill();
    await bird;
  };
  const sessionsUntil = async (side: Side, done: (result: HostBgpSessions) => boolean) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const result = await checkBgpSessions(transport(side), {
        socket: socket(side),
        expected: [`peer_${peerOf[side]}`],
      });
      if (done(result) || Date.now() > deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const established = (result: HostBgpSessions) =>
    result.status === "checked" && result.sessions.every((session) => session.established);

  beforeAll(async () => {
    work = await mkdtemp("/run/nkfx-vf-bgp-");
    for (const side of sides) {
      await execa("ip", ["netns", "del", ns(side)], { reject: false });
      await ip("netns", "add", ns(side));
      await ip("-n", ns(side), "link", "set", "lo", "up");
      await writeFile(`${work}/${side}.conf`, config(side));
    }
    await ip(
      "link",
      "add",
      "eth0",
      "netns",
      ns("a"),
      "type",
      "veth",
      "peer",
      "name",
      "eth0",
      "netns",
      ns("b"),
    );
    for (const side of sides) {
      await ip("-n", ns(side), "addr", "add", `${address[side]}/24`, "dev", "eth0");
      await ip("-n", ns(side), "link", "set", "eth0", "up");
    }
    startBird("a");
  }, 20_000);

  afterAll(async () => {
    for (const side of sides) {
      await stopBird(side);
      await execa("ip", ["netns", "del", ns(side)], { reject: false });
    }
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  it("reports a host without a running BIRD as failed", async () => {
    const result = await checkBgpSessions(transport("b"), { socket: socket("b") });
    expect(result).toMatchObject({ host: "b", status: "failed" });
    expect(result.status === "failed" && result.reason).toContain(
      `b: birdc -s ${socket("b")} show protocols failed (exit 1): Unable to connect to server control socket`,
    );
  });

  it("sees the session not established while the peer is down, then Established", async () => {
    // bird -f was just started: wait until its socket answers, not until the session is up.
    const waiting = await sessionsUntil("a", (result) => result.status === "checked");
    expect(
      waiting.status === "checked" &&
        waiting.sessions.map((s) => [s.name, s.established, s.protocol?.proto]),
    ).toEqual([["peer_b", false, "BGP"]]);
    startBird("b");
    const results = await Promise.all(sides.map((side) => sessionsUntil(side, established)));
    expect(results.map(established)).toEqual([true, true]);
    const table = renderBgpTable(results, { color: false });
    expect(table).toMatch(/^a {5}peer_b {3}up {5}\d\d:\d\d:\d\d\.\d{3}  Established$/m);
    expect(table).toMatch(/^b {5}peer_a {3}up {5}\d\d:\d\d:\d\d\.\d{3}  Established$/m);
    expect(table.endsWith("2 of 2 BGP sessions established\n")).toBe(true);
  }, 15_000);

  it("sees the session drop when the peer's BIRD stops", async () => {
    await stopBird("b");
    const result = await sessionsUntil("a", (r) => !established(r));
    expect(established(result)).toBe(false);
    expect(result.status === "checked" && result.sessions[0]?.protocol?.state).not.toBe("up");
  }, 15_000);
});
