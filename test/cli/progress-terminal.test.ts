import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { namespacesWithPrefix } from "../lab/lab-fixture.js";
import { CLI, ROOT } from "./run-cli.js";

/**
 * What a person sees: `apply` on a real terminal, an 80-column tmux pane (tmux from Debian,
 * scripts/install-deps.sh) on a private tmux socket, over a lab of two hosts with this test's
 * prefix. The pane is captured every 100 ms while the apply runs, then in full (history
 * included, wrapped lines joined) once it ended. Run with flock /tmp/nk-lab.lock.
 */

const PREFIX = "xfpty";
const COLUMNS = 80;
const scratch = mkdtempSync(join(tmpdir(), "xf-pty-"));
const topologyFile = join(scratch, "topology.yaml");
const socket = `xf-pty-${process.pid}`;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

const tmux = (...args: string[]) => execa("tmux", ["-L", socket, ...args], { reject: false });
const capture = async (...flags: string[]) =>
  (await tmux("capture-pane", "-p", ...flags, "-t", "apply")).stdout;

beforeAll(async () => {
  writeFileSync(
    topologyFile,
    stringify({
      apiVersion: "netplan-k/v1",
      name: "xf-progress",
      cluster: { cidr: "10.8.0.0/16", mode: "vxlan", attach: "bridge" },
      hosts: [
        { name: "node-1", address: "192.0.2.81/24", namespaces: [{ name: "red" }] },
        { name: "node-2", address: "192.0.2.82/24", namespaces: [{ name: "blue" }] },
      ],
      lab: { prefix: PREFIX },
    }),
  );
  await execa("node", [CLI, "lab", "up", topologyFile], { cwd: ROOT });
}, 120_000);

afterAll(async () => {
  await tmux("kill-server");
  await execa("node", [CLI, "lab", "down", topologyFile], { cwd: ROOT, reject: false });
  rmSync(scratch, { recursive: true, force: true });
  expect(namespacesWithPrefix(PREFIX)).toEqual([]);
}, 120_000);

describe("apply on a terminal", () => {
  let snapshots: string[] = [];
  let screen: string[] = [];

  beforeAll(async () => {
    const command = `node ${CLI} apply ${topologyFile} --auto-approve; echo "[exit $?]"; sleep 300`;
    const started = await tmux(
      "new-session",
      "-d",
      "-s",
      "apply",
      "-x",
      String(COLUMNS),
      "-y",
      "50",
      "-c",
      ROOT,
      command,
    );
    expect(started.exitCode, started.stderr).toBe(0);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const snapshot = await capture();
      snapshots.push(snapshot);
      if (snapshot.includes("[exit ")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    screen = (await capture("-J", "-S", "-", "-E", "-")).trimEnd().split("\n");
  }, 150_000);

  it("applies and verifies every host", () => {
    expect(screen).toContain("[exit 0]");
    expect(screen).toContain("Apply complete: 28 changes on 2 hosts, every host verified.");
  });

  it("updates each host's line in place: one line per host, whatever it went through", () => {
    for (const host of ["node-1", "node-2"]) {
      // While it ran, the line showed the host building, with a spinner...
      expect(
        snapshots.some((snapshot) =>
          snapshot
            .split("\n")
            .some((line) => SPINNER.test(line) && line.includes(`${host}: building`)),
        ),
      ).toBe(true);
      // ...and the same line ends as the verdict: no line per event is left behind.
      expect(screen.filter((line) => line.includes(`${host}: building`))).toEqual([]);
      expect(screen.filter((line) => line.startsWith(`✔ ${host}: `))).toEqual([
        `✔ ${host}: observed`,
        `✔ ${host}: verified`,
      ]);
    }
  });

  it(`leaves a final screen readable in ${COLUMNS} columns, with no spinner or escape left`, () => {
    const long = screen.filter((line) => [...line].length > COLUMNS);
    expect(long).toEqual([]);
    // The plan's vxlan link lines are longer than the terminal: wrapped, indented.
    expect(screen.some((line) => /^ {6}\S/.test(line))).toBe(true);
    expect(screen.filter((line) => SPINNER.test(line))).toEqual([]);
    expect(screen.filter((line) => /\x1b|\r|\[\?\d+[hl]|\[\d*[ABCDGJK]/.test(line))).toEqual([]);
  });
});
