import { execa } from "execa";
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SshTarget, SshTransportOptions } from "../../src/transport/ssh-args.js";
import { createSshTransport } from "../../src/transport/ssh-transport.js";
import type { Transport } from "../../src/transport/transport.js";
import { TransportError } from "../../src/transport/transport-error.js";
import { startSshLab, type SshLab } from "./ssh-lab.js";

let lab: SshLab;
const opened: Transport[] = [];
let controlParentCount = 0;

/** A transport to the lab's sshd whose control directory lives in a parent the test can list. */
async function open(
  target: Partial<SshTarget> = {},
  options: SshTransportOptions = {},
): Promise<{ transport: Transport; controlDirParent: string }> {
  const controlDirParent = join(lab.dir, `control-${controlParentCount++}`);
  await mkdir(controlDirParent);
  const transport = createSshTransport(
    "node-a",
    {
      kind: "ssh",
      host: lab.address,
      port: lab.port,
      user: "root",
      identityFile: lab.clientKey,
      ...target,
    },
    { sshConfigFile: lab.trustingConfig, controlDirParent, ...options },
  );
  opened.push(transport);
  return { transport, controlDirParent };
}

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

/** The control sockets under a transport's control directory parent. */
async function controlSockets(controlDirParent: string): Promise<string[]> {
  const sockets: string[] = [];
  for (const dir of await readdir(controlDirParent)) {
    for (const socket of await readdir(join(controlDirParent, dir))) {
      sockets.push(join(controlDirParent, dir, socket));
    }
  }
  return sockets;
}

/** The pid of the master behind a control socket, or undefined when none answers. */
async function masterPid(socket: string): Promise<number | undefined> {
  const check = await execa(
    "ssh",
    ["-F", "/dev/null", "-o", `ControlPath=${socket}`, "-O", "check", "nkfx-any"],
    { reject: false },
  );
  const pid = /Master running \(pid=(\d+)\)/.exec(check.stderr)?.[1];
  return check.exitCode === 0 && pid !== undefined ? Number(pid) : undefined;
}

/** Whether the process runs: present in /proc and not a zombie waiting for init to reap it. */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat !== "" && !/\) [ZX] /.test(stat);
}

beforeAll(async () => {
  lab = await startSshLab();
});

afterAll(async () => {
  await Promise.allSettled(opened.map((transport) => transport.close()));
  await lab?.stop();
});

describe("ssh transport against a real sshd", () => {
  it("returns stdout, stderr and exit codes; a remote exit 255 is a result", async () => {
    const { transport } = await open();
    expect(await transport.run(["sh", "-c", "echo out; echo err >&2; exit 3"])).toEqual({
      exitCode: 3,
      stdout: "out\n",
      stderr: "err\n",
    });
    expect(await transport.run(["sh", "-c", "exit 255"])).toEqual({
      exitCode: 255,
      stdout: "",
      stderr: "",
    });
  });

  it("hands the remote program exactly the argv given, whatever it holds", async () => {
    const { transport } = await open();
    const hostile = ["", "a b", "it's", "$(id)", "`id`", "; exit 9", "*", "~", "x\ny", "A=b"];
    const result = await transport.run(["printf", "%s\\0", ...hostile]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split("\0").slice(0, -1)).toEqual(hostile);
  });

  it("delivers stdin", async () => {
    const { transport } = await open();
    const script = "link show lo\n".repeat(3);
    expect((await transport.run(["cat"], { stdin: script })).stdout).toBe(script);
    const batch = await transport.run(["ip", "-batch", "-"], { stdin: script });
    expect(batch.exitCode).toBe(0);
    expect(batch.stdout.match(/^1: lo:/gm)).toHaveLength(3);
  });

  it("reuses one master connection, and close() stops it and removes its directory", async () => {
    const { transport, controlDirParent } = await open();
    await transport.run(["true"]);
    const [socket, ...others] = await controlSockets(controlDirParent);
    expect(others).toEqual([]);
    const pid = await masterPid(socket ?? "");
    expect(pid).toBeDefined();
    expect(await isAlive(pid ?? 0)).toBe(true);

    await transport.run(["true"]);
    expect(await masterPid(socket ?? "")).toBe(pid);

    // Two commands started together: the second waits for the first instead of racing it.
    const both = await Promise.all([transport.run(["echo", "1"]), transport.run(["echo", "2"])]);
    expect(both.map((result) => result.stdout)).toEqual(["1\n", "2\n"]);
    expect(await controlSockets(controlDirParent)).toEqual([socket]);

    await transport.close();
    expect(await readdir(controlDirParent)).toEqual([]);
    expect(await isAlive(pid ?? 0)).toBe(false);
    await transport.close();
  });

  it("closes its master through the control socket, starting no ssh process to do it", async () => {
    // An ssh first in PATH that logs every invocation, then runs the real client.
    const bin = join(lab.dir, "logging-bin");
    const log = join(lab.dir, "ssh-invocations.log");
    await mkdir(bin, { recursive: true });
    await writeFile(log, "");
    await writeFile(join(bin, "ssh"), `#!/bin/sh\necho "$*" >> '${log}'\nexec /usr/bin/ssh "$@"\n`);
    await chmod(join(bin, "ssh"), 0o755);
    const path = process.env["PATH"];
    process.env["PATH"] = `${bin}:${path ?? "/usr/bin:/bin"}`;
    try {
      const { transport, controlDirParent } = await open();
      await transport.run(["true"]);
      const pid = await masterPid((await controlSockets(controlDirParent))[0] ?? "");
      await transport.close();
      expect(await isAlive(pid ?? 0)).toBe(false);
      expect(await readdir(controlDirParent)).toEqual([]);
      // The command, and the test's own `ssh -O check` (masterPid); no `ssh -O exit`.
      const invocations = (await readFile(log, "utf8")).split("\n").filter(Boolean);
      expect(invocations.filter((line) => / -O /.test(line))).toEqual([
        expect.stringMatching(/ -O check nkfx-any$/),
      ]);
      expect(invocations.filter((line) => / -- 192\.0\.2\.10 true$/.test(line))).toHaveLength(1);
    } finally {
      process.env["PATH"] = path;
    }
  });

  it("creates its control directory private to this user", async () => {
    const { transport, controlDirParent } = await open();
    await transport.run(["true"]);
    const [dir] = await readdir(controlDirParent, { withFileTypes: true });
    expect(((await stat(join(controlDirParent, dir?.name ?? ""))).mode & 0o777).toString(8)).toBe(
      "700",
    );
    await transport.close();
  });

  it("stops a command that outlives its timeout, and stays usable", async () => {
    const { transport } = await open();
    await transport.run(["true"]);
    const error = await failure(transport.run(["sleep", "5"], { timeoutMs: 500 }));
    expect(error.code).toBe("transport.timeout");
    expect(error.message).toMatch(
      /^node-a: "sleep 5" over ssh to root@192\.0\.2\.10 did not finish within 500 ms/,
    );
    expect((await transport.run(["echo", "still here"])).stdout).toBe("still here\n");
  });

  it("throws auth-failed for a key the host does not accept", async () => {
    const { transport, controlDirParent } = await open({ identityFile: lab.strangerKey });
    const error = await failure(transport.run(["true"]));
    expect(error.code).toBe("transport.auth-failed");
    expect(error.host).toBe("node-a");
    expect(error.message).toContain("Permission denied (publickey)");
    await transport.close();
    expect(await readdir(controlDirParent)).toEqual([]);
  });

  it("throws host-key-unknown for a host missing from known_hosts", async () => {
    const config = await lab.writeConfig("empty_known_hosts_config");
    const { transport } = await open({}, { sshConfigFile: config });
    const error = await failure(transport.run(["true"]));
    expect(error.code).toBe("transport.host-key-unknown");
    expect(error.message).toContain(`the host key of ${lab.address} port ${lab.port}`);
  });

  it("trusts a new host and records its key with acceptNewHostKeys", async () => {
    const config = await lab.writeConfig("accept_new_config");
    const { transport } = await open({}, { sshConfigFile: config, acceptNewHostKeys: true });
    expect(await transport.run(["echo", "hello"])).toEqual({
      exitCode: 0,
      stdout: "hello\n",
      stderr: "",
    });
    expect(await readFile(lab.knownHostsFile(config), "utf8")).toContain(
      `[${lab.address}]:${lab.port} ssh-ed25519 `,
    );
  });

  it("throws unreachable, quickly, when nothing listens on the port", async () => {
    const { transport } = await open({ port: lab.port + 1 });
    const started = Date.now();
    const error = await failure(transport.run(["true"]));
    expect(error.code).toBe("transport.unreachable");
    expect(error.message).toMatch(/^node-a: cannot reach 192\.0\.2\.10 port 2223 over ssh \(/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  // Last: it replaces the server's host key for good.
  it("throws host-key-mismatch after the host key changed", async () => {
    await lab.replaceHostKey();
    const { transport } = await open();
    const error = await failure(transport.run(["true"]));
    expect(error.code).toBe("transport.host-key-mismatch");
    expect(error.message).toBe(
      `node-a: the host key of ${lab.address} changed since it was recorded in known_hosts; ` +
        `if the host was reinstalled, remove the old key with ssh-keygen -R '[${lab.address}]:${lab.port}'`,
    );
    expect(error.cause).toMatchObject({ exitCode: 255 });
  });
});
