import { execa } from "execa";
import { afterEach, describe, expect, test } from "vitest";
import { OBSERVATION_SCRIPT } from "../../src/observe/observation-script.js";
import { parseObservation } from "../../src/observe/parse-observation.js";

const isRoot = process.getuid?.() === 0;
const NETNS = `nkfx-live-${process.pid}`;

/** Runs `ip` with arguments, inside the test namespace. */
const ipIn = (...args: string[]) => execa("ip", ["-n", NETNS, ...args]);

describe.skipIf(!isRoot)("OBSERVATION_SCRIPT on this kernel (root)", () => {
  afterEach(async () => {
    await execa("ip", ["netns", "del", NETNS], { reject: false });
  });

  test("observes what a namespace holds, workload namespaces included", async () => {
    await execa("ip", ["netns", "add", NETNS]);
    await ipIn("link", "set", "lo", "up");
    await ipIn("link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
    await ipIn("addr", "add", "192.0.2.9/24", "dev", "eth0");
    await ipIn("link", "set", "eth0", "alias", "netplan-k:live", "up");
    await ipIn("link", "set", "eth1", "up");
    await ipIn("route", "add", "198.51.100.0/24", "via", "192.0.2.1", "dev", "eth0", "proto", "77");
    await ipIn(
      "neigh",
      "add",
      "192.0.2.1",
      "lladdr",
      "02:00:00:00:00:01",
      "dev",
      "eth0",
      "nud",
      "permanent",
    );

    // As a lab host runs it: its own /run (so its own /run/netns) and /etc/bird, a workload
    // namespace inside, and the script on stdin to sh -s.
    const setup = [
      "mount -t tmpfs tmpfs /run",
      "mkdir -p /run/netns",
      "if [ -d /etc/bird ]; then mount -t tmpfs tmpfs /etc/bird; fi",
      "ip netns add w1",
      "ip -n w1 link set dev lo alias netplan-k:live up",
      "ip -n w1 rule add pref 100 to 10.244.2.0/24 blackhole",
      "exec sh -s",
    ].join(" && ");
    const { stdout } = await execa(
      "ip",
      ["netns", "exec", NETNS, "unshare", "--mount", "--propagation", "private", "sh", "-c", setup],
      { input: OBSERVATION_SCRIPT },
    );
    const { state, facts } = parseObservation("live", stdout);

    expect(state.root.links.find((l) => l.name === "eth0")).toMatchObject({
      kind: "veth",
      up: true,
      alias: "netplan-k:live",
    });
    expect(state.root.addresses).toContainEqual({ dev: "eth0", cidr: "192.0.2.9/24" });
    expect(state.root.routes).toContainEqual({
      dst: "198.51.100.0/24",
      table: 254,
      type: "unicast",
      metric: 0,
      via: "192.0.2.1",
      dev: "eth0",
      onlink: false,
      scope: "global",
      protocol: 77,
    });
    expect(state.root.neighbours).toContainEqual({
      dev: "eth0",
      dst: "192.0.2.1",
      lladdr: "02:00:00:00:00:01",
      permanent: true,
    });
    expect(state.namespaces.map((ns) => [ns.name, ns.owner])).toEqual([["w1", "live"]]);
    // A workload namespace's rules, read in the same script (`ip -n w1 -j rule show`).
    expect(state.namespaces[0]?.rules).toContainEqual({
      priority: 100,
      from: "0.0.0.0/0",
      to: "10.244.2.0/24",
      selective: false,
      action: "blackhole",
    });
    expect(state.sysctls).toContainEqual({ key: "net.ipv4.conf.eth0.proxy_arp", value: "0" });
    expect(state.files).toEqual([]);
    expect(facts.iproute2).toMatch(/^iproute2-/);
    expect(facts.kernel).toBe((await execa("uname", ["-r"])).stdout);
  });
});
