import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parsePingResults,
  renderPingScript,
  VerifyError,
  type PingResult,
} from "../../src/verify/index.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

const targets = [
  { from: "red", to: "10.244.2.2" },
  { from: "red", to: "10.244.1.3" },
  { from: "blue", to: "fd00::2" },
];

describe("renderPingScript", () => {
  it("renders the script exactly: batches of maxParallel, then one report per target in order", () => {
    const script = renderPingScript(targets, { count: 3, timeoutSeconds: 2, maxParallel: 2 });
    expect(script).toBe(fixture("ping-script-3-targets.sh"));
  });

  it("waits once at the end when every ping fits in one batch", () => {
    const script = renderPingScript(targets, { count: 1, timeoutSeconds: 1 });
    expect(script.match(/^ {2}(nk_ping .*|wait)$/gm)?.map((line) => line.trim())).toEqual([
      "nk_ping 0 red 10.244.2.2 &",
      "nk_ping 1 red 10.244.1.3 &",
      "nk_ping 2 blue fd00::2 &",
      "wait",
    ]);
    expect(script).toContain('ping -c 1 -i 0.2 -W 1 -q $nk_size "$3"');
  });

  it("is a valid POSIX sh script (dash -n) and does nothing at all without targets", () => {
    const script = renderPingScript([], { count: 1, timeoutSeconds: 1 });
    execFileSync("dash", ["-n"], {
      input: renderPingScript(targets, { count: 2, timeoutSeconds: 1 }),
    });
    expect(script).not.toMatch(/nk_ping \d|wait|nk_report \d/);
    expect(execFileSync("sh", ["-s"], { input: script, encoding: "utf8" })).toBe(
      "@@netplan-k:ping:2\n@@netplan-k:end\n",
    );
  });

  it.each([
    ["-n", "10.0.0.1", /"-n" is not a usable namespace name/],
    [".", "10.0.0.1", /not a usable namespace name/],
    ["..", "10.0.0.1", /not a usable namespace name/],
    ["red;reboot", "10.0.0.1", /not a usable namespace name/],
    ["red blue", "10.0.0.1", /not a usable namespace name/],
    ["a/b", "10.0.0.1", /not a usable namespace name/],
    ["$(id)", "10.0.0.1", /not a usable namespace name/],
    ["", "10.0.0.1", /not a usable namespace name/],
    ["red", "10.0.0.256", /"10.0.0.256" is not an IPv4 or IPv6 address/],
    ["red", "10.0.0.1;id", /not an IPv4 or IPv6 address/],
    ["red", "fe80::1%eth0", /not an IPv4 or IPv6 address/],
    ["red", "localhost", /not an IPv4 or IPv6 address/],
    ["red", "10.0.0.1/32", /not an IPv4 or IPv6 address/],
    ["red", "", /not an IPv4 or IPv6 address/],
  ])("refuses namespace %j with address %j", (from, to, message) => {
    const attempt = () =>
      renderPingScript(
        [
          { from: "ok", to: "10.0.0.9" },
          { from, to },
        ],
        {
          count: 1,
          timeoutSeconds: 1,
        },
      );
    expect(attempt).toThrow(VerifyError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/^ping target 1: /);
  });

  it.each([
    [{ count: 0, timeoutSeconds: 1 }, /ping count must be a whole number from 1 to 100, not 0/],
    [{ count: 1.5, timeoutSeconds: 1 }, /ping count/],
    [{ count: 1, timeoutSeconds: 0.5 }, /ping timeout must be a whole number from 1 to 60/],
    [{ count: 1, timeoutSeconds: 1, maxParallel: 0 }, /ping parallelism/],
  ])("refuses options %j", (options, message) => {
    expect(() => renderPingScript(targets, options)).toThrow(message);
  });
});

describe("parsePingResults", () => {
  it("reads output recorded from the script on this kernel: replies, loss, ICMP errors, no route, no namespace", () => {
    // Recorded with the setup in fixtures/README.md.
    const expected: PingResult[] = [
      {
        from: "yr-vf-pa",
        to: "192.0.2.2",
        ok: true,
        exitCode: 0,
        sent: 2,
        received: 2,
        errors: 0,
        rttAvgMs: 0.045,
      },
      // 198.51.100.5: routed to a peer that drops it silently (timeout, 100% loss).
      {
        from: "yr-vf-pa",
        to: "198.51.100.5",
        ok: false,
        exitCode: 1,
        sent: 2,
        received: 0,
        errors: 0,
      },
      // 198.51.100.7 / .8: the peer has an unreachable / prohibit route and answers with ICMP.
      {
        from: "yr-vf-pa",
        to: "198.51.100.7",
        ok: false,
        exitCode: 1,
        sent: 2,
        received: 0,
        errors: 1,
      },
      {
        from: "yr-vf-pa",
        to: "198.51.100.8",
        ok: false,
        exitCode: 1,
        sent: 2,
        received: 0,
        errors: 1,
      },
      {
        from: "yr-vf-pa",
        to: "10.99.0.1",
        ok: false,
        exitCode: 2,
        sent: 0,
        received: 0,
        errors: 0,
        stderr: "ping: connect: Network is unreachable",
      },
      {
        from: "yr-vf-none",
        to: "192.0.2.2",
        ok: false,
        exitCode: 255,
        sent: 0,
        received: 0,
        errors: 0,
        stderr: 'Cannot open network namespace "yr-vf-none": No such file or directory',
      },
      {
        from: "yr-vf-pb",
        to: "192.0.2.1",
        ok: true,
        exitCode: 0,
        sent: 2,
        received: 2,
        errors: 0,
        rttAvgMs: 0.074,
      },
    ];
    const targets = expected.map(({ from, to }) => ({ from, to }));
    expect(parsePingResults("node-a", targets, fixture("ping-output.txt"))).toEqual(expected);
  });

  const recordedTargets = [
    ...Array.from({ length: 5 }, () => ({ from: "yr-vf-pa", to: "192.0.2.2" })),
    { from: "yr-vf-none", to: "192.0.2.2" },
    { from: "yr-vf-pb", to: "192.0.2.1" },
  ];

  it("skips what a login shell prints before the begin line (motd, warnings)", () => {
    const output = "Welcome!\n@@netplan-k:ping:2\n@@netplan-k:end\n";
    expect(parsePingResults("node-a", [], output)).toEqual([]);
  });

  it("refuses output cut short, foreign output and sections that are not the targets'", () => {
    const full = fixture("ping-output.txt");
    const cut = full.slice(0, full.indexOf("@@netplan-k:section:ping:6") + 40);
    expect(() => parsePingResults("node-a", recordedTargets, cut)).toThrow(
      'node-a: ping output is truncated inside section "ping:6" (no "@@netplan-k:end" line); verify again',
    );
    expect(() => parsePingResults("node-a", [], "sh: 1: ip: not found\n")).toThrow(
      /^node-a: the output holds no ping \(no "@@netplan-k:ping:" line\)/,
    );
    expect(() =>
      parsePingResults("node-a", [], "@@netplan-k:ping:2\nstray line\n@@netplan-k:end\n"),
    ).toThrow("node-a: line 2 of the ping output lies outside any section");
    expect(() => parsePingResults("node-a", recordedTargets.slice(1), full)).toThrow(
      "node-a: the ping script answered 7 results for 6 targets",
    );
    expect(() => parsePingResults("node-a", [], "@@netplan-k:ping:1\n@@netplan-k:end\n")).toThrow(
      VerifyError,
    );
  });
});
