import { execa, type ResultPromise } from "execa";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { addNetns, deleteNetns, fixtureName } from "./namespaces.js";

const connector = fileURLToPath(new URL("./tcp-connector.mjs", import.meta.url));

/**
 * A real sshd for the ssh transport tests, without touching the root network namespace: the
 * server namespace holds 192.0.2.10 on one end of a veth, the client namespace 192.0.2.11 on
 * the other. ssh itself runs here, in the root namespace, and reaches the server through a
 * ProxyCommand that opens the TCP stream from inside the client namespace.
 */
export interface SshLab {
  readonly dir: string;
  readonly address: string;
  readonly port: number;
  /** The key in the server's authorized_keys, and one that is not. */
  readonly clientKey: string;
  readonly strangerKey: string;
  /** An ssh config (for -F) that trusts the server's current host key. */
  readonly trustingConfig: string;
  /** The known_hosts file a config written here uses. */
  knownHostsFile(config: string): string;
  /** Writes an ssh config (for -F) whose known_hosts file starts empty. */
  writeConfig(name: string): Promise<string>;
  /** Restarts sshd with a freshly generated host key, as a reinstalled host would. */
  replaceHostKey(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSshLab(): Promise<SshLab> {
  const server = fixtureName("sshd");
  const client = fixtureName("cli");
  const dir = await mkdtemp(join(tmpdir(), "nkfx-ssh-"));
  const address = "192.0.2.10";
  const port = 2222;
  let sshd: ResultPromise | undefined;

  const stop = async () => {
    await stopSshd();
    await deleteNetns(server);
    await deleteNetns(client);
    await rm(dir, { recursive: true, force: true });
  };

  const keygen = (file: string) =>
    execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "nkfx", "-f", file]);

  const startSshd = async () => {
    // A private mount namespace with an empty /root: this machine's root .bashrc is slow
    // (LAB-NOTES.md), and bash would run it for every command sshd starts.
    sshd = execa(
      "ip",
      [
        ...["netns", "exec", server, "unshare", "--mount", "--propagation", "private"],
        ...["sh", "-c", 'mount -t tmpfs nkfx /root && exec /usr/sbin/sshd -D -e -f "$0"'],
        join(dir, "sshd_config"),
      ],
      { reject: false },
    );
    const running = sshd;
    await new Promise<void>((resolve, reject) => {
      running.stderr?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Server listening")) resolve();
      });
      void running.then((result) => reject(new Error(`sshd exited: ${result.stderr}`)));
    });
  };

  /**
   * Stops the listening sshd; its per-connection children (serving open masters) inherited
   * its stderr, so wait for the process itself, not for the end of its output.
   */
  const stopSshd = async () => {
    const running = sshd;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };

  const writeConfig = async (name: string) => {
    const file = join(dir, name);
    await writeFile(
      file,
      [
        "Host *",
        `  ProxyCommand ip netns exec ${client} ${process.execPath} ${connector} %h %p`,
        `  UserKnownHostsFile ${file}.known_hosts`,
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        // Only the key the test names: no agent, no ~/.ssh/id_* of whoever runs the tests.
        "  IdentitiesOnly yes",
        "  IdentityAgent none",
        "  PasswordAuthentication no",
        "  KbdInteractiveAuthentication no",
        "  KexAlgorithms curve25519-sha256",
        "",
      ].join("\n"),
    );
    await writeFile(`${file}.known_hosts`, "");
    return file;
  };

  try {
    await addNetns(server);
    await addNetns(client);
    await execa("ip", [
      ...["link", "add", "eth0", "netns", server, "type", "veth"],
      ...["peer", "name", "eth0", "netns", client],
    ]);
    await execa("ip", ["-n", server, "addr", "add", `${address}/24`, "dev", "eth0"]);
    await execa("ip", ["-n", client, "addr", "add", "192.0.2.11/24", "dev", "eth0"]);
    await execa("ip", ["-n", server, "link", "set", "eth0", "up"]);
    await execa("ip", ["-n", client, "link", "set", "eth0", "up"]);

    await keygen(join(dir, "host_key"));
    await keygen(join(dir, "client_key"));
    await keygen(join(dir, "stranger_key"));
    await writeFile(join(dir, "authorized_keys"), await readFile(join(dir, "client_key.pub")));
    await writeFile(
      join(dir, "sshd_config"),
      [
        `ListenAddress ${address}:${port}`,
        `HostKey ${join(dir, "host_key")}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "",
      ].join("\n"),
    );
    // sshd refuses to start without its privilege separation directory.
    await mkdir("/run/sshd", { recursive: true });
    await startSshd();

    const trustingConfig = await writeConfig("trusting_config");
    const [type, key] = (await readFile(join(dir, "host_key.pub"), "utf8")).split(" ");
    await writeFile(`${trustingConfig}.known_hosts`, `[${address}]:${port} ${type} ${key}\n`);

    return {
      dir,
      address,
      port,
      clientKey: join(dir, "client_key"),
      strangerKey: join(dir, "stranger_key"),
      trustingConfig,
      knownHostsFile: (config) => `${config}.known_hosts`,
      writeConfig,
      async replaceHostKey() {
        await stopSshd();
        await rm(join(dir, "host_key"));
        await rm(join(dir, "host_key.pub"));
        await keygen(join(dir, "host_key"));
        await startSshd();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
