import { describe, expect, it } from "vitest";
import { classifySshFailure } from "../../src/transport/classify-ssh-failure.js";
import { classifySudoFailure } from "../../src/transport/classify-sudo-failure.js";
import type { SshTarget } from "../../src/transport/ssh-args.js";
import { TransportError } from "../../src/transport/transport-error.js";

// stderr of OpenSSH_9.2p1 (Debian 12) with BatchMode=yes and LogLevel=ERROR, as captured;
// ssh ends its lines with \r\n.
const recorded = {
  mismatch: [
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
    "Someone could be eavesdropping on you right now (man-in-the-middle attack)!",
    "It is also possible that a host key has just been changed.",
    "The fingerprint for the ED25519 key sent by the remote host is",
    "SHA256:GnOeWBINTpr6Vvl/4Rv3x3NnDnbGiCasw5Odcihb5bA.",
    "Please contact your system administrator.",
    "Add correct host key in /tmp/nkx/known_bad to get rid of this message.",
    "Offending ED25519 key in /tmp/nkx/known_bad:1",
    "  remove with:",
    '  ssh-keygen -f "/tmp/nkx/known_bad" -R "[192.0.2.10]:2222"',
    "Host key for [192.0.2.10]:2222 has changed and you have requested strict checking.",
    "Host key verification failed.",
    "",
  ].join("\r\n"),
  unknownStrict:
    "No ED25519 host key is known for [192.0.2.10]:2222 and you have requested strict checking.\r\n" +
    "Host key verification failed.\r\n",
  unknownBatchAsk: "Host key verification failed.\r\n",
  denied: "root@192.0.2.10: Permission denied (publickey).\r\n",
  refusedViaProxy:
    "kex_exchange_identification: Connection closed by remote host\r\n" +
    "connector: connect ECONNREFUSED 192.0.2.10:2223\n",
  refused: "ssh: connect to host 192.0.2.10 port 2223: Connection refused\r\n",
  timedOut: "ssh: connect to host 192.0.2.99 port 22: Connection timed out\r\n",
  unresolved: "ssh: Could not resolve hostname nosuchhost.invalid: Name or service not known\r\n",
};

const target: SshTarget = { kind: "ssh", host: "192.0.2.10", port: 2222, user: "root" };

function classify(stderr: string, at: SshTarget = target): TransportError | undefined {
  return classifySshFailure("node-a", at, stderr, { stderr });
}

describe("classifySshFailure", () => {
  it("names a changed host key and how to forget the old one", () => {
    const error = classify(recorded.mismatch);
    expect(error?.code).toBe("transport.host-key-mismatch");
    expect(error?.message).toBe(
      "node-a: the host key of 192.0.2.10 changed since it was recorded in known_hosts; " +
        "if the host was reinstalled, remove the old key with ssh-keygen -R '[192.0.2.10]:2222'",
    );
  });

  it("uses the bare host name in ssh-keygen -R on the default port", () => {
    const error = classify(recorded.mismatch, { kind: "ssh", host: "192.0.2.5" });
    expect(error?.message).toBe(
      "node-a: the host key of 192.0.2.5 changed since it was recorded in known_hosts; " +
        "if the host was reinstalled, remove the old key with ssh-keygen -R 192.0.2.5",
    );
  });

  it.each([
    ["strict checking", recorded.unknownStrict],
    ["batch mode with ask", recorded.unknownBatchAsk],
  ])("reports an unknown host key (%s)", (_name, stderr) => {
    const error = classify(stderr);
    expect(error?.code).toBe("transport.host-key-unknown");
    expect(error?.message).toContain("node-a: the host key of 192.0.2.10 port 2222 is not in");
    expect(error?.message).toContain("ssh -p 2222 192.0.2.10");
  });

  it("reports a refused login with the line ssh printed", () => {
    const error = classify(recorded.denied);
    expect(error?.code).toBe("transport.auth-failed");
    expect(error?.message).toContain("refused the login as root");
    expect(error?.message).toContain("(root@192.0.2.10: Permission denied (publickey).)");
  });

  it.each([
    ["refused through a ProxyCommand", recorded.refusedViaProxy],
    ["refused", recorded.refused],
    ["timed out", recorded.timedOut],
    ["unresolvable", recorded.unresolved],
  ])("reports an unreachable host (%s)", (_name, stderr) => {
    const error = classify(stderr);
    expect(error?.code).toBe("transport.unreachable");
    expect(error?.host).toBe("node-a");
    expect(error?.message).toMatch(/^node-a: cannot reach 192\.0\.2\.10 port 2222 over ssh \(/);
  });

  it("keeps the cause", () => {
    expect(classify(recorded.denied)?.cause).toEqual({ stderr: recorded.denied });
  });

  it("leaves a remote command's own exit 255 alone", () => {
    expect(classify("")).toBeUndefined();
    expect(classify("grep: /etc/nothing: No such file or directory\n")).toBeUndefined();
  });
});

describe("classifySudoFailure", () => {
  const asAdmin: SshTarget = { kind: "ssh", host: "192.0.2.10", user: "admin", become: "sudo" };

  it("turns sudo's refusal into auth-failed", () => {
    const error = classifySudoFailure("node-a", asAdmin, 1, "sudo: a password is required\n", 1);
    expect(error).toBeInstanceOf(TransportError);
    expect(error?.code).toBe("transport.auth-failed");
    expect(error?.message).toBe(
      "node-a: sudo on 192.0.2.10 refused to run the command as root for admin " +
        "(sudo: a password is required); allow it without a password (NOPASSWD in sudoers) " +
        "or connect as root",
    );
  });

  it("recognises a user missing from sudoers", () => {
    const stderr = "admin is not in the sudoers file.  This incident will be reported.\n";
    expect(classifySudoFailure("node-a", asAdmin, 1, stderr, 1)?.code).toBe(
      "transport.auth-failed",
    );
  });

  it("leaves the command's own failures alone", () => {
    expect(classifySudoFailure("node-a", asAdmin, 2, "sudo: a password is required\n", 2)).toBe(
      undefined,
    );
    expect(
      classifySudoFailure("node-a", asAdmin, 1, "Error: Nexthop has invalid gateway.\n", 1),
    ).toBeUndefined();
  });
});
