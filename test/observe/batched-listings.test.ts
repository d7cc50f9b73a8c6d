import { execa } from "execa";
import { describe, expect, test } from "vitest";
import {
  OBSERVATION_KIND,
  OBSERVATION_SCRIPT,
  SECTION_COMMANDS,
  listingCommand,
} from "../../src/observe/observation-script.js";
import { parseRemoteOutput } from "../../src/remote/index.js";

// The observation takes addr, route, neigh and rule in one `ip -j -batch` per namespace: each
// section's body must be exactly what the listing run on its own prints. Run as root in a
// fresh network namespace (unshare --net, gone with the process) holding one object of each
// kind, a policy rule among them; the listings run on their own right after the script.
// Needs root: run under flock /tmp/nk-lab.lock.

const isRoot = process.getuid?.() === 0;

// No duplicate address detection: an IPv6 link-local address is "tentative" for its first
// second or so, and an observation that reads every namespace of the machine (with its
// sysctls) outlasts that, so the listings before and after it differed by that flag alone.
const SETUP = `sysctl -qw net.ipv6.conf.default.accept_dad=0
ip link set lo up
ip link add eth0 type veth peer name eth1
ip addr add 192.0.2.9/24 dev eth0
ip link set eth0 up
ip link set eth1 up
ip route add 198.51.100.0/24 via 192.0.2.1 dev eth0 proto 77
ip neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent
ip rule add from 10.9.0.0/24 lookup 100 priority 100`;

// The listings as the observation names them, so a listing's options change in one place.
const ALONE = {
  addr: listingCommand("addr"),
  route: listingCommand("route"),
  neigh: listingCommand("neigh"),
  rule: SECTION_COMMANDS.rule,
} as const;
const SPLIT = "@@zc-alone:";

describe.skipIf(!isRoot)("the batched listings of the observation (root)", () => {
  test("give each section what the listing alone prints", async () => {
    const alone = Object.entries(ALONE)
      .map(([name, command]) => `echo '${SPLIT}${name}'; ${command}; echo`)
      .join("\n");
    const run = await execa("unshare", ["--net", "sh", "-c", `${SETUP}\nsh -s\n${alone}`], {
      input: OBSERVATION_SCRIPT,
    });
    const [observation = "", ...rest] = run.stdout.split(`\n${SPLIT}`);
    const aloneBodies = new Map(
      rest.map((part) => {
        const [name = "", ...lines] = part.split("\n");
        return [name, lines.join("\n").trim()];
      }),
    );
    const sections = new Map(
      parseRemoteOutput("zc-batch", OBSERVATION_KIND, observation).sections.map((s) => [s.name, s]),
    );
    for (const name of Object.keys(ALONE)) {
      const section = sections.get(name);
      expect(section?.exitCode, name).toBe(0);
      expect(section?.body.trim(), name).toBe(aloneBodies.get(name));
    }
    // The objects are there, so an empty listing on both sides cannot pass.
    expect(sections.get("rule")?.body).toContain('"table":"100"');
    expect(sections.get("neigh")?.body).toContain("02:00:00:00:00:01");
  });
});
