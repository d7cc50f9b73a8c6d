import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  CLI,
  clearLeftoverLab,
  describeRun,
  expectExit,
  namespacesWithPrefix,
  runCommand,
} from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// Issue 11, point 8: a lab prefix belongs to the topology that built it. Row 2 of
// ../shared/cases/newcomer/first-hour.md: alice.yaml and bob.yaml with the same prefix.

const STEP_TIMEOUT_MS = 120_000;

const file = (name: string, prefix: string | undefined, hosts: TopologyFile["hosts"]) =>
  ({
    apiVersion: "netplan-k/v1",
    name,
    cluster: { cidr: "10.63.0.0/16", mode: "host-gw", attach: "bridge" },
    hosts,
    lab: { ...(prefix !== undefined && { prefix }), sshd: false },
  }) as TopologyFile;

const alice = file("alice", "qso", [
  labHost("h1", "192.0.2.61/24"),
  labHost("h2", "192.0.2.62/24"),
]);
const bob = file("bob", "qso", [labHost("h1", "192.0.2.71/24"), labHost("k2", "192.0.2.72/24")]);
// No lab.prefix in either: both would default to the same one.
const carol = file("carol", undefined, [labHost("c1", "192.0.2.81/24")]);
const dave = file("dave", undefined, [labHost("d1", "192.0.2.82/24")]);

describe("labs have owners", () => {
  let dir = "";
  const path = (name: string) => join(dir, `${name}.yaml`);
  const lab = (action: string, name: string, ...flags: string[]) =>
    runCommand(["node", CLI, "lab", action, path(name), ...flags]);
  const underlayOf = async (namespace: string) =>
    (
      await runCommand([
        "nsenter",
        `--net=/run/netns/${namespace}`,
        "--",
        "ip",
        "-o",
        "-4",
        "addr",
        "show",
        "dev",
        "eth0",
      ])
    ).stdout;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "netplan-k-e2e-qso-"));
    for (const [name, topology] of Object.entries({ alice, bob, carol, dave })) {
      await writeFile(path(name), stringify(topology));
    }
    for (const [prefix, owner] of [
      ["qso", "alice"],
      ["qsp", "bob"],
      ["qsq", "carol"],
    ] as const) {
      await clearLeftoverLab(prefix, path(owner));
    }
  }, 60_000);

  afterAll(async () => {
    try {
      // Never "lab down" a file whose lab prefix is the default (nk): that lab is not this test's.
      for (const name of ["bob", "alice"]) await lab("down", name);
      if ((await namespacesWithPrefix("qsq")).length > 0) await lab("down", "carol");
      for (const prefix of ["qso", "qsp", "qsq"]) {
        expect(await namespacesWithPrefix(prefix)).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it(
    "lab up of another topology under a prefix in use is refused, and the first lab is untouched",
    async () => {
      expectExit(await lab("up", "alice"), 0);
      const refused = await lab("up", "bob");
      expectExit(refused, 1);
      expect(refused.stderr, describeRun(refused)).toContain(
        `lab prefix qso is in use by ${path("alice")} (topology alice)`,
      );
      expect(refused.stderr).toContain("--prefix");
      expect(await underlayOf("qso-h1")).toContain("192.0.2.61/24");
      expect(await namespacesWithPrefix("qso")).not.toContain("qso-k2");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "lab down of another topology is refused and removes nothing",
    async () => {
      const before = await namespacesWithPrefix("qso");
      const refused = await lab("down", "bob");
      expectExit(refused, 1);
      expect(refused.stderr).toContain("lab prefix qso is in use by");
      expect(await namespacesWithPrefix("qso")).toEqual(before);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "lab up --prefix builds under another prefix, later commands on that file use it, lab down removes only it",
    async () => {
      expectExit(await lab("up", "bob", "--prefix", "qsp"), 0);
      expect((await namespacesWithPrefix("qsp")).sort()).toEqual(
        ["qsp-fabric", "qsp-h1", "qsp-k2"].sort(),
      );
      expect(await underlayOf("qsp-h1")).toContain("192.0.2.71/24");
      const status = await lab("status", "bob");
      expectExit(status, 0);
      expect(status.stdout).toContain("lab qsp: ready");
      // plan reaches bob's hosts in lab qsp (the netns transport would fail in a missing one).
      expectExit(await runCommand(["node", CLI, "plan", path("bob")]), 0);

      expectExit(await lab("down", "bob"), 0);
      expect(await namespacesWithPrefix("qsp")).toEqual([]);
      expect(await underlayOf("qso-h1")).toContain("192.0.2.61/24");
      expectExit(await lab("down", "alice"), 0);
      expect(await namespacesWithPrefix("qso")).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "two files without lab.prefix never share a lab",
    async () => {
      expectExit(await lab("up", "carol", "--prefix", "qsq"), 0);
      const refused = await lab("up", "dave", "--prefix", "qsq");
      expectExit(refused, 1);
      expect(refused.stderr).toContain(
        `lab prefix qsq is in use by ${path("carol")} (topology carol)`,
      );
      expect(await namespacesWithPrefix("qsq")).not.toContain("qsq-d1");
    },
    STEP_TIMEOUT_MS,
  );
});
