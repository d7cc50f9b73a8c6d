import { describe, expect, it } from "vitest";
import { sshConnectionArgs } from "../../src/transport/ssh-args.js";

const fixed = [
  "-o",
  "BatchMode=yes",
  "-o",
  "ControlMaster=auto",
  "-o",
  "ControlPersist=60s",
  "-o",
  "ControlPath=/tmp/nk-ssh-abc/%C",
  "-o",
  "ConnectTimeout=10",
  "-o",
  "ServerAliveInterval=15",
  "-o",
  "LogLevel=ERROR",
];

describe("sshConnectionArgs", () => {
  it("forces only batch mode, multiplexing and timeouts for a bare target", () => {
    expect(sshConnectionArgs({ kind: "ssh", host: "192.0.2.5" }, {}, "/tmp/nk-ssh-abc/%C")).toEqual(
      fixed,
    );
  });

  it("passes the topology's port, user, key and jump host as ssh flags", () => {
    expect(
      sshConnectionArgs(
        {
          kind: "ssh",
          host: "node-a.example",
          port: 2222,
          user: "admin",
          identityFile: "~/.ssh/lab",
          proxyJump: "bastion.example",
          become: "sudo",
        },
        {},
        "/tmp/nk-ssh-abc/%C",
      ),
    ).toEqual([...fixed, "-p", "2222", "-l", "admin", "-i", "~/.ssh/lab", "-J", "bastion.example"]);
  });

  it("adds -F, accept-new and the chosen timeouts when asked", () => {
    const args = sshConnectionArgs(
      { kind: "ssh", host: "192.0.2.5" },
      {
        sshConfigFile: "/tmp/lab/ssh_config",
        acceptNewHostKeys: true,
        connectTimeoutSeconds: 3,
        controlPersistSeconds: 5,
      },
      "/tmp/nk-ssh-abc/%C",
    );
    expect(args.slice(0, 2)).toEqual(["-F", "/tmp/lab/ssh_config"]);
    expect(args).toContain("StrictHostKeyChecking=accept-new");
    expect(args).toContain("ConnectTimeout=3");
    expect(args).toContain("ControlPersist=5s");
  });

  it("leaves host key checking to the user's configuration by default", () => {
    const args = sshConnectionArgs({ kind: "ssh", host: "192.0.2.5" }, {}, "/x/%C");
    expect(args.some((arg) => arg.startsWith("StrictHostKeyChecking"))).toBe(false);
  });
});
