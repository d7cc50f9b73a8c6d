import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { describeRun, expectExit, useLabScenario } from "./lab-scenario.js";
import { installSshCounter, type SshCounter } from "./ssh-counter.js";
import { labHost } from "./topologies.js";

// Round trips counted at the ssh client itself, and an apply that has no terminal to ask on.

const STEP_TIMEOUT_MS = 120_000;

const counted: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-round-trips",
  cluster: { cidr: "10.46.0.0/16", mode: "vxlan", attach: "routed" },
  hosts: [
    labHost("node-1", "192.0.2.61/24", "red"),
    labHost("node-2", "192.0.2.62/24", "blue"),
    labHost("node-3", "192.0.2.63/24", "green"),
  ],
  lab: { prefix: "e2rt", sshd: true },
};
const addresses = counted.hosts.map((host) => String(host.address).split("/")[0] ?? "");
const perHost = (count: number) => new Map(addresses.map((address) => [address, count]));

describe("round trips per host over ssh", () => {
  const scenario = useLabScenario(counted);
  let counter: SshCounter;
  const links = () =>
    Promise.all(
      counted.hosts.map((host) => scenario.inHostOk(host.name, ["ip", "-j", "link", "show"])),
    );

  it(
    "lab up",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      counter = await installSshCounter(scenario.dir);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a first apply makes two per host: observe, then apply with its verification",
    async () => {
      await counter.reset();
      expectExit(
        await scenario.cli(["apply"], ["--auto-approve"], { env: { PATH: counter.path } }),
        0,
      );
      expect(await counter.count()).toEqual(perHost(2));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "an apply on hosts that already match makes one per host and changes nothing",
    async () => {
      const before = await links();
      await counter.reset();
      const run = await scenario.cli(["apply"], ["--auto-approve"], {
        env: { PATH: counter.path },
      });
      expectExit(run, 0);
      expect(await counter.count(), describeRun(run)).toEqual(perHost(1));
      expect(await links()).toEqual(before);
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "an apply right after a no-op apply still makes one per host: the leases it left are broken at once",
    async () => {
      // The no-op just before left a 30-s observe lease on every host, held by its pid, gone.
      await counter.reset();
      const run = await scenario.cli(["apply"], ["--auto-approve"], {
        env: { PATH: counter.path },
      });
      expectExit(run, 0);
      expect(await counter.count(), describeRun(run)).toEqual(perHost(1));
    },
    STEP_TIMEOUT_MS,
  );
});

const unattended: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-no-terminal",
  cluster: { cidr: "10.47.0.0/16", mode: "host-gw", attach: "bridge" },
  hosts: [labHost("node-1", "192.0.2.71/24", "red"), labHost("node-2", "192.0.2.72/24", "blue")],
  lab: { prefix: "e2nt", sshd: false },
};

describe("apply without a terminal and without --auto-approve", () => {
  const scenario = useLabScenario(unattended);

  it(
    "refuses, says to use --auto-approve, and changes nothing",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      const before = await scenario.cli(["plan"], ["--detailed-exitcode"]);
      expectExit(before, 2);

      const refused = await scenario.cli(["apply"]);
      expectExit(refused, 1);
      expect(refused.stdout + refused.stderr, describeRun(refused)).toContain("--auto-approve");

      const after = await scenario.cli(["plan"], ["--detailed-exitcode"]);
      expectExit(after, 2);
      expect(after.stdout).toBe(before.stdout);
    },
    STEP_TIMEOUT_MS,
  );
});
