import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { observeHost, OBSERVATION_MAX_OUTPUT_CHARS } from "../../src/observe/observe-host.js";
import { createLocalTransport } from "../../src/transport/local-transport.js";
import type { Transport } from "../../src/transport/transport.js";

// Issue 11, point 6: hosts whose `ip` misbehaves. Each "host" is the real observation script
// run by the local transport inside `unshare --net --mount`: a fresh, empty network namespace
// (nothing is read from or sent to any other) and a private mount namespace in which a fake
// `ip` is bound over /usr/bin/ip (the observation's preamble puts the system directories first
// on PATH, so a fake earlier on PATH would not be found). The namespaces vanish with the
// process. Needs root: run under flock /tmp/nk-lab.lock.

const FAKE_IP = `#!/bin/sh
# ip -V answers as iproute2 6.1.0 does, unless the mode says otherwise.
case "$NK_FAKE_MODE:$1" in
  no-json:-V) echo "ip utility, iproute2-ss180129"; exit 0 ;;
  *:-V) echo "ip utility, iproute2-6.1.0, libbpf 1.1.2"; exit 0 ;;
esac
case "$*" in *-j*) ;; *) exit 0 ;; esac
case $NK_FAKE_MODE in
  no-json)
    echo 'Option "-j" is unknown, try "ip -help".' >&2
    exit 255 ;;
  garbage) echo '{"ifname": "eth0", <garbage' ;;
  huge) head -c 52428800 /dev/zero | tr '\\0' x ;;
  hang) exec sleep 8 ;;
  drop)
    echo '[{"ifindex":1,'
    kill -9 "$NK_TOP" ;;
esac
`;

/** `sh -c` of the wrapper: bind the fake ip, then run the transport's argv in its place. */
const WRAPPER = `fake=$1 mode=$2
shift 2
mount --bind "$fake" /usr/bin/ip || exit 1
NK_FAKE_MODE=$mode NK_TOP=$$ exec "$@"`;

const HOST = "zg-hostile";
let dir = "";

/** A host whose ip behaves as `mode` says. */
function hostileHost(mode: string): Transport {
  const local = createLocalTransport(HOST);
  return {
    host: HOST,
    run: (argv, options) =>
      local.run(
        ["unshare", "--net", "--mount", "--propagation", "private"].concat([
          "sh",
          "-c",
          WRAPPER,
          "sh",
          join(dir, "ip"),
          mode,
          ...argv,
        ]),
        options,
      ),
    close: () => local.close(),
  };
}

/** The error observing the host gives, and how long it took. */
async function observeFailure(
  mode: string,
  timeoutMs?: number,
): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  const error = await observeHost(hostileHost(mode), timeoutMs).then(
    () => new Error("the observation succeeded"),
    (failure: unknown) => failure as Error,
  );
  return { error, ms: Date.now() - started };
}

describe("hosts whose ip misbehaves give one clear error naming the host, in bounded time", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "netplan-k-zg-"));
    await writeFile(join(dir, "ip"), FAKE_IP);
    await chmod(join(dir, "ip"), 0o755);
  });
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("an ip without -j (older than iproute2 4.13): the version, not a parse error", async () => {
    const { error } = await observeFailure("no-json");
    expect(error.message).toMatch(
      /^zg-hostile has iproute2-ss180129 \(ip -V\), but netplan-k reads the JSON output of iproute2 5\.0\.0/,
    );
  });

  it("an ip that prints garbage: the command and the host", async () => {
    const { error } = await observeFailure("garbage");
    // The first listing read is the namespaces'.
    expect(error.message).toMatch(/^zg-hostile: ip -j netns list: .*JSON/);
  });

  it(`an ip that prints 50 MB: stopped past ${OBSERVATION_MAX_OUTPUT_CHARS} characters`, async () => {
    const { error } = await observeFailure("huge");
    expect(error).toMatchObject({ code: "transport.output-too-large", host: HOST });
    expect(error.message).toMatch(
      /^zg-hostile: "[\s\S]* sh -s" printed more than 33554432 characters and was stopped/,
    );
  }, 60_000);

  it("an ip that hangs: stopped at the observation's timeout (60 s; 2 s here)", async () => {
    const { error, ms } = await observeFailure("hang", 2_000);
    expect(error).toMatchObject({ code: "transport.timeout", host: HOST });
    expect(error.message).toMatch(
      /^zg-hostile: "[\s\S]* sh -s" did not finish within 2000 ms and was stopped/,
    );
    // The fake's sleep lasts 8 s: the bound is the timeout, not the hung command's end.
    expect(ms).toBeLessThan(5_000);
  });

  it("a script cut mid-way (its shell killed, as a dropped connection ends it)", async () => {
    const { error } = await observeFailure("drop");
    expect(error.message).toBe("zg-hostile: the observation script failed (exit 137): no message");
  });
});
