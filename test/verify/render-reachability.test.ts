import { describe, expect, it } from "vitest";
import {
  renderReachabilityJson,
  renderReachabilityTable,
  type Endpoint,
  type HostBgpSessions,
  type ReachabilityMatrix,
  type ReachabilityPath,
} from "../../src/verify/index.js";

const aRed: Endpoint = { host: "a", workload: "red", ip: "10.244.1.2" };
const aBlue: Endpoint = { host: "a", workload: "blue", ip: "10.244.1.3" };
const bRed: Endpoint = { host: "b", workload: "red", ip: "10.244.2.2" };
const cGreen: Endpoint = { host: "c", workload: "green", ip: "10.244.3.2" };

const ok = (from: Endpoint, to: Endpoint): ReachabilityPath => ({
  from,
  to,
  ok: true,
  sent: 3,
  received: 3,
  errors: 0,
  rttAvgMs: 0.05,
});
const broken = (from: Endpoint, to: Endpoint, reason: string): ReachabilityPath => ({
  from,
  to,
  ok: false,
  sent: 3,
  received: 0,
  errors: 0,
  reason,
});

const healthy: ReachabilityMatrix = {
  endpoints: [aRed, aBlue, bRed],
  hosts: [
    {
      host: "a",
      status: "checked",
      paths: [ok(aRed, aBlue), ok(aRed, bRed), ok(aBlue, aRed), ok(aBlue, bRed)],
    },
    { host: "b", status: "checked", paths: [ok(bRed, aRed), ok(bRed, aBlue)] },
  ],
};

const degraded: ReachabilityMatrix = {
  endpoints: [aRed, aBlue, bRed, cGreen],
  hosts: [
    {
      host: "a",
      status: "checked",
      paths: [
        ok(aRed, aBlue),
        ok(aRed, bRed),
        ok(aRed, cGreen),
        ok(aBlue, aRed),
        broken(aBlue, bRed, "3 sent, 0 received: no reply within 2 s"),
        ok(aBlue, cGreen),
      ],
    },
    {
      host: "b",
      status: "checked",
      paths: [
        ok(bRed, aRed),
        broken(bRed, aBlue, "ping: connect: Network is unreachable"),
        ok(bRed, cGreen),
      ],
    },
    {
      host: "c",
      status: "failed",
      reason: "c: cannot reach 192.168.64.3 over ssh (Connection refused)",
    },
  ],
};

describe("renderReachabilityTable", () => {
  it("shows a full matrix and one summary line when every path works", () => {
    expect(renderReachabilityTable(healthy, { color: false })).toBe(
      [
        "from \\ to  a/red  a/blue  b/red",
        "a/red      -      ok      ok",
        "a/blue     ok     -       ok",
        "b/red      ok     ok      -",
        "6 of 6 paths reachable",
        "",
      ].join("\n"),
    );
  });

  it("marks failing cells, shows an unchecked host's reason on its row, and lists every failure", () => {
    expect(renderReachabilityTable(degraded, { color: false })).toBe(
      [
        "from \\ to  a/red  a/blue  b/red  c/green",
        "a/red      -      ok      ok     ok",
        "a/blue     ok     -       ✗      ok",
        "b/red      ok     ✗       -      ok",
        "c/green    not checked: c: cannot reach 192.168.64.3 over ssh (Connection refused)",
        "7 of 12 paths reachable; failing:",
        "  a/blue → b/red: 3 sent, 0 received: no reply within 2 s",
        "  b/red → a/blue: ping: connect: Network is unreachable",
        "  c/* → *: not checked: c: cannot reach 192.168.64.3 over ssh (Connection refused)",
        "",
      ].join("\n"),
    );
  });

  it("says once what fails every path of a source alike, and hints when a namespace is missing", () => {
    const missing = (name: string) =>
      `Cannot open network namespace "${name}": No such file or directory`;
    const unapplied: ReachabilityMatrix = {
      endpoints: [aRed, aBlue, bRed, cGreen],
      hosts: [
        {
          host: "a",
          status: "checked",
          paths: [
            broken(aRed, aBlue, missing("red")),
            broken(aRed, bRed, missing("red")),
            broken(aRed, cGreen, missing("red")),
            ok(aBlue, aRed),
            broken(aBlue, bRed, "3 sent, 0 received: no reply within 2 s"),
            broken(aBlue, cGreen, "3 sent, 0 received: no reply within 2 s"),
          ],
        },
        {
          host: "b",
          status: "checked",
          paths: [
            ok(bRed, aRed),
            broken(bRed, aBlue, "ping: connect: Network is unreachable"),
            ok(bRed, cGreen),
          ],
        },
        {
          host: "c",
          status: "checked",
          paths: [ok(cGreen, aRed), ok(cGreen, aBlue), ok(cGreen, bRed)],
        },
      ],
    };
    const lines = renderReachabilityTable(unapplied, { color: false }).split("\n");
    expect(lines.slice(5)).toEqual([
      "6 of 12 paths reachable; failing:",
      `  a/red → every other workload (3): ${missing("red")}`,
      "  a/blue → b/red, c/green: 3 sent, 0 received: no reply within 2 s",
      "  b/red → a/blue: ping: connect: Network is unreachable",
      "  hint: a workload's namespace does not exist: has the topology been applied? `netplan-k plan` names what is missing",
      "",
    ]);
  });

  it("colours cells only, so columns stay aligned and rows end without padding", () => {
    const coloured = renderReachabilityTable(degraded, { color: true });
    expect(coloured).toContain("\x1b[32mok\x1b[39m    ");
    expect(coloured).toContain("\x1b[31m✗\x1b[39m     ");
    expect(coloured).toContain("\x1b[31m7 of 12 paths reachable; failing:\x1b[39m");
    expect(coloured.replace(/\x1b\[\d+m/g, "")).toBe(
      renderReachabilityTable(degraded, { color: false }),
    );
  });

  it("renders the same from the JSON form read back", () => {
    const parsed = JSON.parse(renderReachabilityJson(degraded)) as ReachabilityMatrix;
    expect(renderReachabilityTable(parsed, { color: false })).toBe(
      renderReachabilityTable(degraded, { color: false }),
    );
  });
});

describe("renderReachabilityJson", () => {
  it("puts the counts first, then the matrix unchanged", () => {
    const json = JSON.parse(renderReachabilityJson(degraded));
    expect(Object.keys(json)).toEqual([
      "formatVersion",
      "family",
      "total",
      "reachable",
      "endpoints",
      "hosts",
    ]);
    expect(json).toEqual({
      formatVersion: 1,
      family: "ipv4",
      total: 12,
      reachable: 7,
      endpoints: degraded.endpoints,
      hosts: degraded.hosts,
    });
    expect(renderReachabilityJson(healthy).endsWith("}\n")).toBe(true);
  });

  it("names the family of an IPv6 matrix (an IPv6-only cluster's only one)", () => {
    const json = JSON.parse(renderReachabilityJson({ ...healthy, family: "ipv6" }));
    expect(json.family).toBe("ipv6");
  });

  it("adds the BGP sessions in mode bgp, with their count", () => {
    const bgp: HostBgpSessions[] = [
      { host: "a", status: "checked", sessions: [{ name: "peer_b", established: true }] },
      { host: "b", status: "checked", sessions: [{ name: "peer_a", established: false }] },
      { host: "c", status: "failed", reason: "c: birdc show protocols failed (exit 1)" },
    ];
    const json = JSON.parse(renderReachabilityJson(healthy, bgp));
    expect(Object.keys(json).at(-1)).toBe("bgp");
    expect(json.bgp).toEqual({ total: 2, established: 1, hosts: bgp });
  });
});
