import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Host, ResolvedTransport } from "../../src/topology/topology.js";
import { openTransport } from "../../src/transport/open-transport.js";
import { TransportError } from "../../src/transport/transport-error.js";
import { addNetns, deleteNetns, fixtureName } from "./namespaces.js";

const netns = fixtureName("open");
let dir = "";

function hostWith(transport: ResolvedTransport): Host {
  return {
    name: "node-a",
    interface: "eth0",
    v4: {
      underlayIp: "192.0.2.5",
      underlaySubnet: "192.0.2.0/24",
      underlayPrefix: 24,
      podCidr: "10.244.1.0/24",
      podCidrAllocated: false,
    },
    transport,
    workloads: [],
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nkfx-open-"));
  await addNetns(netns);
});

afterAll(async () => {
  await deleteNetns(netns);
  await rm(dir, { recursive: true, force: true });
});

describe("openTransport", () => {
  it("runs a local host's commands on this machine", async () => {
    const transport = openTransport(hostWith({ kind: "local" }));
    expect(transport.host).toBe("node-a");
    expect((await transport.run(["echo", "local"])).stdout).toBe("local\n");
  });

  it("runs a netns host's commands in its namespace", async () => {
    const transport = openTransport(hostWith({ kind: "netns", name: netns }), {
      mountNamespaceDir: dir,
    });
    const listed = await transport.run(["ip", "-o", "link", "show"]);
    // A fresh namespace holds only lo.
    expect(listed.stdout.trim().split("\n")).toHaveLength(1);
    expect(listed.stdout).toContain("1: lo:");
  });

  it("reaches an ssh host through ssh, with the options given", async () => {
    // A ProxyCommand that fails at once: ssh reports the closed connection, nothing is dialled.
    const config = join(dir, "ssh_config");
    await writeFile(config, "Host *\n  ProxyCommand false\n");
    const transport = openTransport(hostWith({ kind: "ssh", host: "192.0.2.5" }), {
      sshConfigFile: config,
    });
    const error = await transport.run(["true"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "transport.unreachable", host: "node-a" });
    expect((error as Error).message).toContain("cannot reach 192.0.2.5 over ssh");
    await transport.close();
  });
});
