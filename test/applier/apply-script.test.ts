import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applySteps,
  describeStepFailure,
  parseApplyOutput,
  renderApplyScript,
  renderStepsScript,
} from "../../src/applier/index.js";
import { createNetnsTransport } from "../../src/transport/index.js";
import { ALIAS, VETH, bird, change, link, route } from "./changes.js";

const namespace = change({ kind: "namespace", action: "create", after: { name: "red" } });
const veth = change({
  kind: "link",
  action: "create",
  after: link(VETH, { peer: { netns: "red", name: "eth0" } }),
});
const eth0Up = change({
  kind: "link",
  action: "update",
  netns: "red",
  before: { name: "eth0", kind: "veth", mtu: 1450, up: false },
  after: { name: "eth0", kind: "veth", mtu: 1450, up: true },
});
const redAddress = change({
  kind: "address",
  action: "create",
  netns: "red",
  after: { dev: "eth0", cidr: "10.244.1.2/24" },
});
const hostAddress = change({
  kind: "address",
  action: "create",
  after: { dev: VETH, cidr: "10.244.1.1/32" },
});
const fdb = change({
  kind: "fdb",
  action: "create",
  after: { dev: "flannel.1", mac: "0e:00:00:00:00:02", dst: "192.168.64.6" },
});
const forward = change({
  kind: "sysctl",
  action: "update",
  after: { key: "net.ipv4.ip_forward", value: "1" },
});
const config = { path: "/etc/bird/bird.conf", content: "# managed by netplan-k\n" };

describe("applySteps", () => {
  it("merges consecutive groups of one executor and namespace, in plan order", () => {
    const steps = applySteps([namespace, veth, eth0Up, redAddress, hostAddress, fdb, forward]);
    expect(
      steps.map((step) => [step.executor, step.netns, step.lines.map((l) => l.change)]),
    ).toEqual([
      ["ip", undefined, [0]],
      ["sh", undefined, [1]],
      ["ip", undefined, [1, 1]],
      ["ip", "red", [2, 3]],
      ["ip", undefined, [4]],
      ["bridge", undefined, [5]],
      ["sh", undefined, [6]],
    ]);
    expect(steps.slice(0, 3).flatMap((step) => step.lines.map((line) => line.text))).toEqual([
      "netns add red",
      "if ip -n red link show dev eth0 >/dev/null 2>&1; then ip -n red link del dev eth0; fi",
      `link add ${VETH} mtu 1450 type veth peer name eth0 netns red mtu 1450`,
      `link set dev ${VETH} alias ${ALIAS} up`,
    ]);
  });

  it("reloads a running service after its file changed, unless it is being started", () => {
    const write = change({ kind: "file", action: "update", before: config, after: config });
    const reload = applySteps([write], [bird]);
    expect(reload).toHaveLength(1);
    expect(reload[0]?.lines.map((line) => [line.text, line.change]).slice(-1)).toEqual([
      ["birdc configure", 0],
    ]);
    const start = change({ kind: "service", action: "create", after: bird });
    const started = applySteps([write, start], [bird]).flatMap((s) => s.lines.map((l) => l.text));
    expect(started).not.toContain("birdc configure");
    expect(started.at(-1)).toBe("bird -c /etc/bird/bird.conf");
    // A file nobody runs from, or a service not wanted running: no reload.
    expect(
      applySteps([write], [{ ...bird, running: false }]).flatMap((s) => s.lines.map((l) => l.text)),
    ).not.toContain("birdc configure");
  });
});

describe("renderApplyScript", () => {
  const script = renderApplyScript([namespace, veth, eth0Up, fdb, forward]);

  it("runs every batch from a quoted heredoc and each step through nk_run", () => {
    expect(script).toContain("  ip -batch - <<'NK_BATCH_1'\nnetns add red\n");
    expect(script).toContain(
      "  ip -n red -batch - <<'NK_BATCH_4'\nlink set dev eth0 up\nNK_BATCH_4\n",
    );
    expect(script).toContain("  bridge -batch - <<'NK_BATCH_5'\n");
    expect(script).toContain(
      "  {\n    printf '%s\\n' 1 >/proc/sys/net/ipv4/ip_forward\n  } || { nk_rc=$?; printf 'Command failed -:%s\\n' 1 >&2; return \"$nk_rc\"; }",
    );
    expect(script.match(/^  nk_run \d+$/gm)).toEqual([
      "  nk_run 1",
      "  nk_run 2",
      "  nk_run 3",
      "  nk_run 4",
      "  nk_run 5",
      "  nk_run 6",
    ]);
    expect(script.trimEnd().split("\n").at(-1)).toBe("nk_main </dev/null");
  });

  it("is valid POSIX sh", async () => {
    const checked = await execa("sh", ["-n"], { input: script, reject: false });
    expect(checked.exitCode).toBe(0);
  });
});

describe("parseApplyOutput", () => {
  it("reads the steps done, the failure and its output", () => {
    const outcome = parseApplyOutput(
      "node-a",
      [
        "@@netplan-k:apply:2",
        "@@netplan-k:section:step:1",
        "",
        "@@netplan-k:exit:0",
        "@@netplan-k:section:step:2",
        "",
        "@@netplan-k:stderr:Error: Nexthop has invalid gateway.",
        "@@netplan-k:stderr:Command failed -:2",
        "@@netplan-k:exit:1",
        "@@netplan-k:end",
        "",
      ].join("\n"),
    );
    expect(outcome).toEqual({
      done: [1],
      failure: {
        step: 2,
        exitCode: 1,
        output: "Error: Nexthop has invalid gateway.\nCommand failed -:2",
      },
      complete: false,
    });
    expect(parseApplyOutput("node-a", "@@netplan-k:apply:2\n@@netplan-k:end\n")).toEqual({
      done: [],
      complete: true,
    });
  });

  it("a stream cut inside a step keeps the steps done before it", () => {
    const cut =
      "@@netplan-k:apply:2\n@@netplan-k:section:step:1\n\n@@netplan-k:exit:0\n@@netplan-k:section:step:2\n";
    expect(parseApplyOutput("node-a", cut)).toEqual({ done: [1], complete: false });
    expect(parseApplyOutput("node-a", "")).toEqual({ done: [], complete: false });
  });

  it("steps out of order are not the apply script's output", () => {
    expect(() =>
      parseApplyOutput(
        "node-a",
        "@@netplan-k:apply:2\n@@netplan-k:section:step:2\n\n@@netplan-k:exit:0\n@@netplan-k:end\n",
      ),
    ).toThrow('node-a: the apply output\'s section 1 is "step:2", expected "step:1"');
  });
});

/** The script run for real in a scratch namespace: ip's own line numbers name the command. */
describe("running the script", () => {
  const ns = `nkfx-ap-${randomBytes(3).toString("hex")}-s`;
  const transport = createNetnsTransport("node-a", ns, { mountNamespaceDir: "/nonexistent" });

  beforeAll(async () => {
    await execa("ip", ["netns", "add", ns]);
    await execa("ip", ["-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1"]);
    await execa("ip", ["-n", ns, "addr", "add", "192.0.2.1/24", "dev", "eth0"]);
    await execa("ip", ["-n", ns, "link", "set", "eth0", "up"]);
  });
  afterAll(async () => {
    await execa("ip", ["netns", "del", ns], { reject: false });
  });

  it("stops at the first failing batch and names the failing line", async () => {
    const good = change({
      kind: "route",
      action: "create",
      after: route("10.244.2.0/24", { via: "192.0.2.2", dev: "eth0" }),
    });
    const bad = change({
      kind: "route",
      action: "create",
      after: route("10.244.3.0/24", { via: "10.9.9.9", dev: "eth0" }),
    });
    const never = change({
      kind: "sysctl",
      action: "update",
      after: { key: "net.ipv4.conf.eth0.proxy_arp", value: "1" },
    });
    const steps = applySteps([good, bad, never]);
    const run = await transport.run(["sh", "-s"], { stdin: renderStepsScript(steps) });
    expect(run.exitCode).toBe(1);
    const outcome = parseApplyOutput("node-a", run.stdout);
    expect(outcome.done).toEqual([]);
    expect(outcome.complete).toBe(false);
    expect(outcome.failure?.step).toBe(1);
    expect(describeStepFailure("node-a", steps, outcome.failure!)).toBe(
      "node-a: ip -batch failed at line 2 (route replace 10.244.3.0/24 via 10.9.9.9 dev eth0 proto 77): Error: Nexthop has invalid gateway.",
    );
    const proxyArp = await transport.run(["cat", "/proc/sys/net/ipv4/conf/eth0/proxy_arp"]);
    expect(proxyArp.stdout).toBe("0\n");
  });

  it("names the failing line of a shell step", async () => {
    const steps = applySteps([
      change({
        kind: "sysctl",
        action: "update",
        after: { key: "net.ipv4.ip_forward", value: "1" },
      }),
      change({
        kind: "sysctl",
        action: "update",
        after: { key: "net.ipv4.conf.nothere0.proxy_arp", value: "1" },
      }),
    ]);
    const run = await transport.run(["sh", "-s"], { stdin: renderStepsScript(steps) });
    const outcome = parseApplyOutput("node-a", run.stdout);
    expect(describeStepFailure("node-a", steps, outcome.failure!)).toMatch(
      /^node-a: sh failed at line 2 \(printf '%s\\n' 1 >\/proc\/sys\/net\/ipv4\/conf\/nothere0\/proxy_arp\): .*cannot create \/proc\/sys\/net\/ipv4\/conf\/nothere0\/proxy_arp/,
    );
  });

  it("prints a section per step and the end line when all succeed", async () => {
    const steps = applySteps([
      change({
        kind: "sysctl",
        action: "update",
        after: { key: "net.ipv4.ip_forward", value: "1" },
      }),
      change({
        kind: "route",
        action: "create",
        after: route("10.244.2.0/24", { via: "192.0.2.2", dev: "eth0" }),
      }),
    ]);
    const run = await transport.run(["sh", "-s"], { stdin: renderStepsScript(steps) });
    expect(run.stdout).toBe(
      [
        "@@netplan-k:apply:2",
        "@@netplan-k:section:step:1",
        "",
        "@@netplan-k:exit:0",
        "@@netplan-k:section:step:2",
        "",
        "@@netplan-k:exit:0",
        "@@netplan-k:end",
        "",
      ].join("\n"),
    );
    expect(run.exitCode).toBe(0);
  });
});
