import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { describeRun, expectExit, useLabScenario, type CommandRun } from "./lab-scenario.js";
import { replaceSetting, restartSshdWith, stopSshd } from "./lab-sshd.js";
import { labHost } from "./topologies.js";

// One host of three made unreachable over ssh in each of the ways a real fleet breaks: plan
// and apply must fail (exit 1), name that host with the reason, and still show the others.

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-ssh-failures",
  cluster: { cidr: "10.45.0.0/16", mode: "vxlan", attach: "bridge" },
  hosts: [
    labHost("node-1", "192.0.2.51/24", "red"),
    labHost("node-2", "192.0.2.52/24", "blue"),
    labHost("node-3", "192.0.2.53/24", "green"),
  ],
  lab: { prefix: "e2sf", sshd: true },
};

const BROKEN = "node-2";
const BROKEN_ADDRESS = "192.0.2.52";
const STEP_TIMEOUT_MS = 120_000;

/** The healthy hosts' plans are there: each one's VTEP with its own underlay address. */
function expectOthersPlanned(run: CommandRun): void {
  const output = run.stdout + run.stderr;
  for (const [host, address] of [
    ["node-1", "192.0.2.51"],
    ["node-3", "192.0.2.53"],
  ] as const) {
    expect(output, describeRun(run)).toMatch(new RegExp(`^${host}:`, "m"));
    expect(output, describeRun(run)).toContain(
      `+ link flannel.1 type vxlan id 1 local ${address} `,
    );
    expect(output, describeRun(run)).not.toMatch(
      new RegExp(`${host}: (cannot reach|.*refused the login|.*host key)`),
    );
  }
  expect(output, describeRun(run)).not.toContain(`local ${BROKEN_ADDRESS} `);
}

describe("ssh failures on one host of three", () => {
  const scenario = useLabScenario(topology);

  /** plan and apply both fail for the broken host with `reason`, the others still planned. */
  async function expectHostFailure(reason: RegExp): Promise<void> {
    for (const [command, flags] of [
      [["plan"], []],
      [["apply"], ["--auto-approve"]],
    ] as const) {
      const run = await scenario.cli(command, flags);
      expectExit(run, 1);
      expect(run.stdout + run.stderr, describeRun(run)).toMatch(reason);
      expectOthersPlanned(run);
    }
  }

  /** The broken host back to the lab's own sshd, and nothing of the topology left anywhere. */
  async function restore(): Promise<void> {
    await stopSshd(scenario.prefix, BROKEN).catch(() => undefined);
    expectExit(await scenario.cli(["lab", "up"]), 0);
    expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
    expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 2);
  }

  it(
    "lab up",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "names an unreachable host (its sshd stopped) and still plans the others",
    async () => {
      await stopSshd(scenario.prefix, BROKEN);
      try {
        await expectHostFailure(new RegExp(`${BROKEN}: cannot reach ${BROKEN_ADDRESS} over ssh`));
      } finally {
        await restore();
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "names a host that refuses our key and still plans the others",
    async () => {
      const empty = join(scenario.dir, "authorized_keys.empty");
      await writeFile(empty, "");
      await restartSshdWith(scenario.prefix, BROKEN, BROKEN_ADDRESS, scenario.dir, (config) =>
        replaceSetting(config, "AuthorizedKeysFile", empty),
      );
      try {
        await expectHostFailure(new RegExp(`${BROKEN}: .*refused the login.*Permission denied`));
      } finally {
        await restore();
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "names a host whose host key changed and still plans the others",
    async () => {
      const key = join(scenario.dir, "ssh_host_ed25519_key.new");
      await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "e2sf-new", "-f", key]);
      await restartSshdWith(scenario.prefix, BROKEN, BROKEN_ADDRESS, scenario.dir, (config) =>
        replaceSetting(config, "HostKey", key),
      );
      try {
        await expectHostFailure(new RegExp(`${BROKEN}: the host key of ${BROKEN_ADDRESS} changed`));
      } finally {
        await restore();
      }
    },
    STEP_TIMEOUT_MS,
  );
});
