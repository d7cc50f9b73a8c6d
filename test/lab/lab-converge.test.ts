import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUp, type LabSpec } from "../../src/lab/index.js";
import { createLocalTransport } from "../../src/transport/local-transport.js";
import type { Transport } from "../../src/transport/transport.js";
import {
  inHost,
  isAlive,
  labHost,
  labTopology,
  mountsUnder,
  namespacesWithPrefix,
  rootNetworkSnapshot,
} from "./lab-fixture.js";

// Names unique to this file: vitest runs test files in parallel.
const prefix = "yl-cv";
const options = { stateDir: "/run/yl-cv-state", mntnsDir: "/run/yl-cv-mntns" };
const spec: LabSpec = { prefix, sshd: false, routers: [], guests: [] };
const before = labTopology([labHost("a", "192.0.2.41"), labHost("b", "192.0.2.42")]);
// b leaves, c arrives, a is renumbered.
const after = labTopology([labHost("a", "192.0.2.51"), labHost("c", "192.0.2.43")]);
const ns = (host: string): string => `${prefix}-${host}`;

/** The machine's real transport, remembering every fabric command that is not a read. */
function recordingMachine(): Transport & { readonly changes: string[] } {
  const local = createLocalTransport(`lab ${prefix}`);
  const changes: string[] = [];
  const isRead = (argv: readonly string[]): boolean =>
    argv.includes("-j") || (argv[0] === "nsenter" && argv.includes("-n"));
  return {
    host: local.host,
    changes,
    run(argv, runOptions) {
      if (!isRead(argv)) changes.push([...argv, runOptions?.stdin ?? ""].join(" ").trim());
      return local.run(argv, runOptions);
    },
    close: () => local.close(),
  };
}

const addressesOf = (host: string): string[] =>
  JSON.parse(inHost(ns(host), options.mntnsDir, ["ip", "-j", "-4", "addr", "show", "dev", "eth0"]))
    .flatMap((link: { addr_info: { local: string; prefixlen: number }[] }) => link.addr_info)
    .map((a: { local: string; prefixlen: number }) => `${a.local}/${a.prefixlen}`);

describe("lab up converges the fabric to a changed topology", () => {
  let rootBefore = "";

  beforeAll(async () => {
    expect(namespacesWithPrefix(prefix)).toEqual([]);
    rootBefore = rootNetworkSnapshot();
    await labUp(before, spec, options);
  }, 30_000);

  afterAll(async () => {
    await labDown(prefix, options);
    expect(namespacesWithPrefix(prefix)).toEqual([]);
    expect(rootNetworkSnapshot()).toBe(rootBefore);
  }, 30_000);

  it("changes nothing in the fabric when run again", async () => {
    const machine = recordingMachine();
    const status = await labUp(before, spec, { ...options, machine });
    expect(status.ready).toBe(true);
    expect(machine.changes).toEqual([]);
  }, 20_000);

  it("removes a host, adds one and renumbers one; the untouched host keeps its anchor", async () => {
    const first = await labUp(before, spec, options);
    const [anchorA, anchorB] = first.hosts.map((h) => h.anchorPid ?? 0);
    const events: string[] = [];
    const machine = recordingMachine();
    const status = await labUp(after, spec, {
      ...options,
      machine,
      onEvent: (e) => events.push(e),
    });

    expect(status.ready).toBe(true);
    expect(events).toEqual(["fabric", "host a", "host c", `removing ${ns("b")}`]);
    expect(namespacesWithPrefix(prefix).sort()).toEqual([ns("a"), ns("c"), ns("fabric")]);
    expect(isAlive(anchorB ?? 0)).toBe(false);
    expect(mountsUnder(options.mntnsDir)).not.toContain(`${options.mntnsDir}/${ns("b")}`);
    expect(status.hosts[0]?.anchorPid).toBe(anchorA);
    expect(addressesOf("a")).toEqual(["192.0.2.51/24"]);
    expect(
      inHost(ns("a"), options.mntnsDir, ["ping", "-c", "1", "-W", "2", "192.0.2.43"]),
    ).toContain("1 received");
    // b's port went with the fabric's step; only c's namespace and veth were made.
    expect(machine.changes.filter((c) => c.startsWith("ip netns add"))).toEqual([
      `ip netns add ${ns("c")}`,
    ]);
  }, 30_000);

  it("changes nothing in the fabric when run once more", async () => {
    const machine = recordingMachine();
    await labUp(after, spec, { ...options, machine });
    expect(machine.changes).toEqual([]);
  }, 20_000);
});
