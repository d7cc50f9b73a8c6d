import { XMLParser, XMLValidator } from "fast-xml-parser";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBirdProtocols } from "../../src/observe/index.js";
import {
  renderJUnit,
  type Endpoint,
  type HostBgpSessions,
  type ReachabilityMatrix,
  type ReachabilityPath,
} from "../../src/verify/index.js";

/**
 * No JUnit XSD ships in an npm package, so the report is checked with an XML parser against
 * the structure the Jenkins/Ant schema (the one CI systems read) requires: testsuites >
 * testsuite[name, tests, failures, errors] > testcase[classname, name] > failure[message].
 */

const red: Endpoint = { host: "node-1", workload: "red", ip: "10.1.1.2" };
const blue: Endpoint = { host: "node-2", workload: "blue", ip: "10.1.2.2" };
const green: Endpoint = { host: "node-3", workload: "green", ip: "10.1.3.2" };

const path = (from: Endpoint, to: Endpoint, reason?: string): ReachabilityPath => ({
  from,
  to,
  ok: reason === undefined,
  sent: 3,
  received: reason === undefined ? 3 : 0,
  errors: 0,
  ...(reason !== undefined && { reason }),
});

// A message that XML must escape, and a terminal escape XML 1.0 cannot hold at all.
const hostile = `ping: <b>&"bad"</b> ]]> 'quote' \x1b[31mred\x1b[0m`;

const matrix: ReachabilityMatrix = {
  endpoints: [red, blue, green],
  hosts: [
    { host: "node-1", status: "checked", paths: [path(red, blue), path(red, green, hostile)] },
    { host: "node-2", status: "checked", paths: [path(blue, red), path(blue, green)] },
    { host: "node-3", status: "failed", reason: "node-3: cannot reach 192.0.2.13 over ssh" },
  ],
};

// Recorded from BIRD 2.0.12 (test/verify/fixtures/record-bird.sh), unedited.
const birdSaid = (name: string) =>
  parseBirdProtocols(readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8")).filter(
    (protocol) => protocol.proto === "BGP",
  );
const [established] = birdSaid("bird-protocols-established.txt");
const [connecting] = birdSaid("bird-protocols-connecting.txt");

const bgpHosts: HostBgpSessions[] = [
  {
    host: "node-1",
    status: "checked",
    sessions: [
      { name: "peer_x", established: true, ...(established && { protocol: established }) },
    ],
  },
  {
    host: "node-2",
    status: "checked",
    sessions: [
      { name: "peer_x", established: false, ...(connecting && { protocol: connecting }) },
      { name: "peer_y", established: false },
    ],
  },
];
const expected = [
  { host: "node-1", protocol: "peer_x", peer: "node-2", address: "192.0.2.12" },
  { host: "node-2", protocol: "peer_x", peer: "node-1", address: "192.0.2.11" },
  { host: "node-2", protocol: "peer_y", peer: "node-3", address: "192.0.2.13" },
];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["testsuite", "testcase", "failure"].includes(name),
});

interface ParsedCase {
  classname: string;
  name: string;
  failure?: { message: string; type: string; "#text": string }[];
}
interface ParsedSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  testcase: ParsedCase[];
}

function parse(xml: string): { testsuites: { tests: string; testsuite: ParsedSuite[] } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

describe("renderJUnit", () => {
  it("has one case per ordered workload pair, classed by address family", () => {
    const report = parse(renderJUnit({ name: "lab", matrices: [matrix] }));
    const [suite] = report.testsuites.testsuite;
    expect(report.testsuites.testsuite).toHaveLength(1);
    expect(suite?.name).toBe("reachability.ipv4");
    expect(suite?.tests).toBe("6");
    expect(suite?.failures).toBe("3");
    expect(suite?.testcase.map((c) => c.classname)).toEqual(Array(6).fill("reachability.ipv4"));
    expect(suite?.testcase.map((c) => c.name)).toEqual([
      "node-1/red → node-2/blue (10.1.2.2)",
      "node-1/red → node-3/green (10.1.3.2)",
      "node-2/blue → node-1/red (10.1.1.2)",
      "node-2/blue → node-3/green (10.1.3.2)",
      "node-3/green → node-1/red (10.1.1.2)",
      "node-3/green → node-2/blue (10.1.2.2)",
    ]);
    expect(suite?.testcase.map((c) => c.failure !== undefined)).toEqual([
      false,
      true,
      false,
      false,
      true,
      true,
    ]);
  });

  it("puts each family's matrix in its own suite: reachability.ipv4, then reachability.ipv6", () => {
    // An IPv6-only cluster's verify filed its IPv6 pairs under reachability.ipv4 (new-user trial).
    const v6: ReachabilityMatrix = {
      family: "ipv6",
      endpoints: [
        { host: "node-1", workload: "red", ip: "fd00:10:9:2::2" },
        { host: "node-2", workload: "blue", ip: "fd00:10:9:cf::2" },
      ],
      hosts: [
        { host: "node-1", status: "failed", reason: "node-1: unreachable" },
        { host: "node-2", status: "failed", reason: "node-2: unreachable" },
      ],
    };
    const both = parse(renderJUnit({ name: "lab", matrices: [matrix, v6] })).testsuites;
    expect(both.testsuite.map((suite) => suite.name)).toEqual([
      "reachability.ipv4",
      "reachability.ipv6",
    ]);
    expect(both.testsuite[1]?.testcase.map((c) => [c.classname, c.name])).toEqual([
      ["reachability.ipv6", "node-1/red → node-2/blue (fd00:10:9:cf::2)"],
      ["reachability.ipv6", "node-2/blue → node-1/red (fd00:10:9:2::2)"],
    ]);
    const only = parse(renderJUnit({ name: "lab", matrices: [v6] })).testsuites;
    expect(only.testsuite.map((suite) => suite.name)).toEqual(["reachability.ipv6"]);
  });

  it("names source, destination and address in each failure, and the reason", () => {
    const [suite] = parse(renderJUnit({ name: "lab", matrices: [matrix] })).testsuites.testsuite;
    const failures = suite?.testcase.flatMap((c) => c.failure ?? []) ?? [];
    expect(failures.map((f) => f.type)).toEqual(["unreachable", "not-checked", "not-checked"]);
    expect(failures[1]?.message).toBe(
      "node-3/green → node-1/red at 10.1.1.2: node-3: cannot reach 192.0.2.13 over ssh",
    );
    for (const failure of failures) expect(failure["#text"]).toBe(failure.message);
  });

  it("escapes markup in messages and replaces characters XML cannot hold", () => {
    const xml = renderJUnit({ name: `<lab & "co">`, matrices: [matrix] });
    expect(xml).not.toContain("\x1b");
    expect(xml).not.toContain("<b>");
    const [suite] = parse(xml).testsuites.testsuite;
    const message = suite?.testcase[1]?.failure?.[0]?.message;
    expect(message).toBe(
      `node-1/red → node-3/green at 10.1.3.2: ping: <b>&"bad"</b> ]]> 'quote' \uFFFD[31mred\uFFFD[0m`,
    );
    expect(suite?.testcase[1]?.failure?.[0]?.["#text"]).toBe(message);
  });

  it("has one case per expected BGP session, failing with what BIRD said", () => {
    const report = parse(
      renderJUnit({
        name: "lab",
        matrices: [matrix],
        bgp: {
          expected: [
            ...expected,
            { host: "node-3", protocol: "peer_x", peer: "node-1", address: "192.0.2.11" },
          ],
          hosts: [...bgpHosts, { host: "node-3", status: "failed", reason: "node-3: no birdc" }],
        },
      }),
    );
    expect(report.testsuites.tests).toBe("10");
    const bgp = report.testsuites.testsuite[1];
    expect(bgp?.name).toBe("bgp.sessions");
    expect(bgp?.tests).toBe("4");
    expect(bgp?.failures).toBe("3");
    expect(
      bgp?.testcase.map((c) => [
        c.classname,
        c.name,
        c.failure?.[0]?.type,
        c.failure?.[0]?.message,
      ]),
    ).toEqual([
      ["bgp.sessions", "node-1 → node-2 (192.0.2.12)", undefined, undefined],
      [
        "bgp.sessions",
        "node-2 → node-1 (192.0.2.11)",
        "not-established",
        "node-2 → node-1 at 192.0.2.11 (BIRD protocol peer_x): state start, Active (Socket: Connection refused)",
      ],
      [
        "bgp.sessions",
        "node-2 → node-3 (192.0.2.13)",
        "missing",
        "node-2 → node-3 at 192.0.2.13 (BIRD protocol peer_y): not configured in BIRD",
      ],
      [
        "bgp.sessions",
        "node-3 → node-1 (192.0.2.11)",
        "not-checked",
        "node-3 → node-1 at 192.0.2.11 (BIRD protocol peer_x): node-3: no birdc",
      ],
    ]);
  });

  it("reports a healthy network with no failure element at all", () => {
    const healthy: ReachabilityMatrix = {
      endpoints: [red, blue],
      hosts: [
        { host: "node-1", status: "checked", paths: [path(red, blue)] },
        { host: "node-2", status: "checked", paths: [path(blue, red)] },
      ],
    };
    const xml = renderJUnit({ name: "lab", matrices: [healthy] });
    expect(xml).not.toContain("<failure");
    expect(parse(xml).testsuites.testsuite[0]?.failures).toBe("0");
  });
});
