import { execa, type ResultPromise } from "execa";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNetnsTransport, netnsCommand } from "../../src/transport/netns-transport.js";
import { TransportError } from "../../src/transport/transport-error.js";
import { addNetns, deleteNetns, fixtureName } from "./namespaces.js";

const plain = fixtureName("plain");
const labHost = fixtureName("lab");
const innerWorkload = fixtureName("red");
let mountNamespaceDir = "";
let emptyDir = "";
let anchor: ResultPromise | undefined;

/** The inode `readlink /proc/self/ns/net` names inside the namespace. */
async function netnsInode(name: string): Promise<string> {
  return `net:[${(await stat(join("/run/netns", name))).ino}]\n`;
}

beforeAll(async () => {
  mountNamespaceDir = await mkdtemp(join(tmpdir(), "nkfx-mntns-"));
  emptyDir = await mkdtemp(join(tmpdir(), "nkfx-nomntns-"));
  await addNetns(plain);
  await addNetns(labHost);
  // What the lab does for a host: a long-lived process in the host's network namespace with
  // a private mount namespace, where /run/netns is its own, holding the host's workloads.
  anchor = execa(
    "ip",
    [
      ...["netns", "exec", labHost, "unshare", "--mount", "--propagation", "private"],
      ...[
        "sh",
        "-c",
        `mount -t tmpfs nkfx /run/netns && ip netns add ${innerWorkload} && echo ready && exec sleep 600`,
      ],
    ],
    { reject: false },
  );
  await new Promise<void>((resolve, reject) => {
    anchor?.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    void anchor?.then((result) => reject(new Error(`anchor exited: ${result.stderr}`)));
  });
  // ip netns exec, unshare and sh all exec: the pid execa started is the anchor itself.
  const anchorFile = join(mountNamespaceDir, labHost);
  await writeFile(anchorFile, "");
  await execa("mount", ["--bind", `/proc/${anchor.pid}/ns/mnt`, anchorFile]);
});

afterAll(async () => {
  await execa("umount", [join(mountNamespaceDir, labHost)], { reject: false });
  anchor?.kill("SIGKILL");
  await anchor;
  await deleteNetns(plain);
  await deleteNetns(labHost);
  await rm(mountNamespaceDir, { recursive: true, force: true });
  await rm(emptyDir, { recursive: true, force: true });
});

describe("netnsCommand", () => {
  it("wraps argv in ip netns exec, or in nsenter when the host has its own mounts", () => {
    expect(netnsCommand("nk-a", ["ip", "-j", "link"], undefined)).toEqual([
      ...["ip", "netns", "exec", "nk-a", "ip", "-j", "link"],
    ]);
    expect(netnsCommand("nk-a", ["ip", "-j", "link"], "/run/netplan-k/mntns/nk-a")).toEqual([
      ...["nsenter", "--net=/run/netns/nk-a", "--mount=/run/netplan-k/mntns/nk-a", "--"],
      ...["ip", "-j", "link"],
    ]);
  });
});

describe("netns transport", () => {
  it("runs inside the namespace and returns output and exit codes", async () => {
    const transport = createNetnsTransport("node-a", plain, { mountNamespaceDir: emptyDir });
    expect(await transport.run(["readlink", "/proc/self/ns/net"])).toEqual({
      exitCode: 0,
      stdout: await netnsInode(plain),
      stderr: "",
    });
    const failing = await transport.run(["sh", "-c", "echo no >&2; exit 4"]);
    expect(failing).toEqual({ exitCode: 4, stdout: "", stderr: "no\n" });
  });

  it("delivers stdin (an ip -batch script)", async () => {
    const transport = createNetnsTransport("node-a", plain, { mountNamespaceDir: emptyDir });
    const batch = await transport.run(["ip", "-batch", "-"], {
      stdin: "link set lo mtu 1500\nlink set lo mtu 65536\n",
    });
    expect(batch.exitCode).toBe(0);
    const echoed = await transport.run(["cat"], { stdin: "a\nb" });
    expect(echoed.stdout).toBe("a\nb");
  });

  it("throws unreachable for a namespace that does not exist", async () => {
    const missing = fixtureName("gone");
    const transport = createNetnsTransport("node-z", missing);
    const error = await transport.run(["true"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "transport.unreachable", host: "node-z" });
    expect((error as Error).message).toBe(
      `node-z: network namespace ${missing} does not exist (no /run/netns/${missing}); ` +
        'check transport.name in the topology, or build the lab with "netplan-k lab up"',
    );
  });

  it("enters the lab host's mount namespace when the lab recorded one", async () => {
    const transport = createNetnsTransport("lab-a", labHost, { mountNamespaceDir });
    const listed = await transport.run(["ip", "netns", "list"]);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout.trim()).toBe(innerWorkload);
    expect((await transport.run(["readlink", "/proc/self/ns/net"])).stdout).toBe(
      await netnsInode(labHost),
    );
  });

  it("sees this machine's /run/netns without the recorded mount namespace", async () => {
    const transport = createNetnsTransport("lab-a", labHost, { mountNamespaceDir: emptyDir });
    const listed = await transport.run(["ip", "netns", "list"]);
    expect(listed.stdout).toContain(labHost);
    expect(listed.stdout).not.toContain(innerWorkload);
  });
});
