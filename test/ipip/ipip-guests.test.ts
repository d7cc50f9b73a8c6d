import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { isSameSegment } from "../../src/topology/segments.js";
import type { Host, HostFamily, Topology } from "../../src/topology/topology.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  describeRun,
  expectExit,
  labStateDir,
  runCommand,
  useLabScenario,
  type CommandRun,
} from "../e2e/lab-scenario.js";
import { listOwnedObjects } from "../e2e/owned-objects.js";
import { modes } from "../../src/modes/registry.js";

/**
 * IPIP on a real kernel. This machine's kernel has no ipip driver, so examples/lab-ipip.yaml
 * builds its hosts as QEMU guests booting Debian's kernel (lab.guests). The whole life of the
 * topology runs against them over SSH, and crossSubnet is proven with packets: tunl0's TX
 * counter in the source guest moves for cross-segment pairs only.
 *
 * Then the same topology as a namespace lab on this machine's kernel: planning and applying
 * must refuse each host ("has no ipip driver") before anything changes.
 *
 * Needs what scripts/install-deps.sh installs (qemu-system-x86, busybox-static); lab up runs
 * scripts/guest-kernel.sh, which downloads Debian's kernel once into its cache.
 */

const EXAMPLE = "examples/lab-ipip.yaml";
const PINGS = 5;
const STEP_TIMEOUT_MS = 150_000;

const example = parse(await readFile(EXAMPLE, "utf8")) as TopologyFile;

function resolve(file: TopologyFile): Topology {
  const loaded = loadTopologyText(JSON.stringify(file), "topology.json", modes);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.topology;
}

/** `<block network>/32`, the tunnel address of a host (docs/kernel-layout.md, ipip). */
/** An ipip host's IPv4 side, which every host of an ipip cluster has. */
function v4Of(host: Host): HostFamily {
  if (host.v4 === undefined) throw new Error(`${host.name} has no IPv4 side`);
  return host.v4;
}

const tunnelAddress = (host: Host): string => `${v4Of(host).podCidr.split("/")[0] ?? ""}/32`;

interface IpLinkStats {
  readonly mtu: number;
  readonly stats64: { readonly tx: { readonly packets: number } };
}

interface IpAddress {
  readonly ifname: string;
  readonly mtu: number;
  readonly addr_info: readonly { readonly local: string; readonly prefixlen: number }[];
}

const timings: [string, number][] = [];
async function timed<T>(label: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await body();
  } finally {
    timings.push([label, (performance.now() - started) / 1000]);
  }
}

describe("ipip on QEMU guests (examples/lab-ipip.yaml)", () => {
  const scenario = useLabScenario(example);
  const topology = resolve(example);
  const sshConfig = join(labStateDir(scenario.prefix), "ssh_config");
  const testStarted = performance.now();

  /** A shell command line in a guest, over the lab's own ssh_config. */
  const inGuest = (host: string, command: string): Promise<CommandRun> =>
    runCommand(["ssh", "-F", sshConfig, host, command]);
  const inGuestOk = async (host: string, command: string): Promise<string> => {
    const run = await inGuest(host, command);
    expectExit(run, 0);
    return run.stdout;
  };
  /**
   * tunl0's TX packets before and after `ping` from the workload, in one SSH session: a fresh
   * connection to a TCG guest costs about a second.
   */
  const pingThroughTunl0 = async (host: string, workload: string, target: string) => {
    const stats = "ip -s -j link show tunl0";
    const ping = `ip netns exec ${workload} ping -n -q -c ${PINGS} -i 0.2 -W 2 ${target} >&2`;
    const output = await inGuestOk(host, `${stats} && ${ping} && ${stats}`);
    const [before, after] = output
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as IpLinkStats[])[0]?.stats64.tx.packets ?? Number.NaN);
    return (after ?? Number.NaN) - (before ?? Number.NaN);
  };

  it(
    "lab up boots every guest and reaches it over SSH",
    async () => {
      expectExit(await timed("lab up (3 guests)", () => scenario.cli(["lab", "up"])), 0);
      for (const host of topology.hosts) {
        const kernel = await inGuestOk(host.name, "hostname; uname -r");
        expect(kernel.trim().split("\n")).toEqual([host.name, expect.stringMatching(/^6\.1\.0-/)]);
      }
      const status = await scenario.cli(["lab", "status"]);
      expectExit(status, 0);
      for (const host of topology.hosts) {
        expect(status.stdout).toMatch(
          new RegExp(`${scenario.prefix}-${host.name} .* sshd answering`),
        );
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "apply converges every guest",
    async () => {
      const run = await timed("apply", () => scenario.cli(["apply"], ["--auto-approve"]));
      expectExit(run, 0);
    },
    STEP_TIMEOUT_MS,
  );

  it("tunl0 has MTU 1480 and the block's network address /32 on every guest", async () => {
    for (const host of topology.hosts) {
      const [tunl0] = JSON.parse(
        await inGuestOk(host.name, "ip -j addr show dev tunl0"),
      ) as IpAddress[];
      expect(tunl0?.mtu, host.name).toBe(1480);
      expect(
        tunl0?.addr_info.map((a) => `${a.local}/${a.prefixlen}`),
        host.name,
      ).toEqual([tunnelAddress(host)]);
    }
  });

  it(
    "verify reaches every workload from every other",
    async () => {
      expectExit(await timed("verify", () => scenario.cli(["verify"])), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a second plan has nothing to do",
    async () => {
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "crossSubnet: only cross-segment pairs go through tunl0 (TX packets of the source's tunl0)",
    async () => {
      const workloads = topology.hosts.flatMap((host) =>
        host.workloads.map((workload) => ({ host, workload })),
      );
      const rows: { pair: string; segment: string; tx: number }[] = [];
      for (const source of workloads) {
        for (const target of workloads) {
          if (source === target) continue;
          const tx = await pingThroughTunl0(
            source.host.name,
            source.workload.name,
            target.workload.ipV4 ?? "",
          );
          rows.push({
            pair: `${source.host.name}/${source.workload.name} -> ${target.host.name}/${target.workload.name}`,
            segment: isSameSegment(v4Of(source.host), v4Of(target.host)) ? "same" : "cross",
            tx,
          });
        }
      }
      console.log(
        [
          "pair                      segment  tunl0 TX",
          ...rows.map((r) => `${r.pair.padEnd(26)}${r.segment.padEnd(9)}+${r.tx}`),
        ].join("\n"),
      );
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        if (row.segment === "same") expect(row.tx, row.pair).toBe(0);
        else expect(row.tx, row.pair).toBeGreaterThanOrEqual(PINGS);
      }
      expect(rows.filter((r) => r.segment === "same")).toHaveLength(2);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "destroy removes every owned object",
    async () => {
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
      const observed = await scenario.cli(["observe"]);
      expectExit(observed, 0);
      expect(
        listOwnedObjects(observed.stdout, topology.name, topology.cluster.v4?.cidr ?? ""),
      ).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "lab down stops every guest",
    async () => {
      const pids = await Promise.all(
        topology.hosts.map(async (host) =>
          Number(
            await readFile(
              join(labStateDir(scenario.prefix), "hosts", host.name, "qemu.pid"),
              "utf8",
            ),
          ),
        ),
      );
      const rss = await Promise.all(
        pids.map(async (pid) =>
          /VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8")),
        ),
      );
      console.log(
        `RSS per guest (MB): ${rss.map((m) => Math.round(Number(m?.[1]) / 1024)).join(", ")}`,
      );
      expectExit(await scenario.cli(["lab", "down"]), 0);
      // Killed QEMUs are children of PID 1 (QEMU daemonises) and may stay zombies for a while.
      for (const pid of pids) {
        const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
        const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
        expect(["", "Z", "X"], `QEMU ${pid} still runs (state ${state})`).toContain(state);
      }
      expect(
        await runCommand(["ip", "netns", "list"]).then((r) => r.stdout),
        "the fabric (and the guests' taps in it) is gone",
      ).not.toContain(`${scenario.prefix}-fabric`);
      timings.push(["whole test", (performance.now() - testStarted) / 1000]);
      console.log(timings.map(([label, s]) => `${label.padEnd(20)} ${s.toFixed(1)} s`).join("\n"));
    },
    STEP_TIMEOUT_MS,
  );
});

/** The same topology as namespaces on this machine, whose kernel has no ipip driver. */
const onThisKernel: TopologyFile = {
  ...example,
  lab: { prefix: "nkipn", routers: example.lab?.routers ?? [] },
};

describe("ipip on this machine's kernel (no ipip driver)", () => {
  const scenario = useLabScenario(onThisKernel);
  const topology = resolve(onThisKernel);

  const expectRefusal = (run: CommandRun): void => {
    expectExit(run, 1);
    for (const host of topology.hosts) {
      expect(run.stdout + run.stderr, describeRun(run)).toContain(
        `the kernel of ${host.name} has no ipip driver`,
      );
    }
  };
  const expectNothingOwned = async (): Promise<void> => {
    const observed = await scenario.cli(["observe"]);
    expectExit(observed, 0);
    expect(
      listOwnedObjects(observed.stdout, topology.name, topology.cluster.v4?.cidr ?? ""),
    ).toEqual([]);
  };

  it(
    "plan and apply refuse every host before changing anything",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      expectRefusal(await scenario.cli(["plan"]));
      await expectNothingOwned();
      expectRefusal(await scenario.cli(["apply"], ["--auto-approve"]));
      await expectNothingOwned();
      for (const host of topology.hosts) {
        const links = await scenario.inHostOk(host.name, ["ip", "-j", "link", "show"]);
        const names = (JSON.parse(links) as { ifname: string }[]).map((l) => l.ifname);
        expect(names, host.name).toEqual(["lo", host.interface]);
        expect(await scenario.inHostOk(host.name, ["ip", "netns", "list"])).toBe("");
      }
    },
    STEP_TIMEOUT_MS,
  );
});
