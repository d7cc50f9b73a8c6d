import { create } from "xmlbuilder2";
import type { HostBgpSessions } from "./bgp-sessions.js";
import type { ReachabilityMatrix, ReachabilityPath } from "./reachability.js";
import { endpointLabel } from "./render-reachability.js";

/**
 * verify's result as a JUnit XML report, the format every CI system shows natively
 * (the Jenkins/Ant dialect: `<testsuites>` of `<testsuite>` of `<testcase>`, a failing case
 * holding one `<failure message=... type=...>`).
 *
 * One test case per ordered workload pair of each matrix, in the suite and class of its
 * address family (`reachability.ipv4`, `reachability.ipv6`: a dual-stack cluster has both,
 * an IPv6-only one only the second), and one per BGP session the topology expects, in `bgp.sessions`. Failure messages name the source,
 * the destination and its address. The XML is written by xmlbuilder2, which escapes markup
 * in names and messages; characters XML 1.0 forbids (a terminal escape in ping's complaint,
 * say) are replaced with U+FFFD rather than making the report unreadable.
 */

/** A BGP session the topology asks for: `host` peers with `peer` at `address`. */
export interface ExpectedBgpSession {
  readonly host: string;
  /** The BIRD protocol name (birdPeerName), as `birdc show protocols` lists it. */
  readonly protocol: string;
  readonly peer: string;
  /** The peer's underlay address, the neighbor of the BIRD configuration. */
  readonly address: string;
}

export interface JUnitInput {
  /** The topology's name: the name of the report. */
  readonly name: string;
  /** One matrix per address family verify pinged in, in the order of their suites. */
  readonly matrices: readonly ReachabilityMatrix[];
  /** Mode bgp only: every session expected, and what each host's BIRD said. */
  readonly bgp?: {
    readonly expected: readonly ExpectedBgpSession[];
    readonly hosts: readonly HostBgpSessions[];
  };
}

/** The class (and suite) of a matrix's reachability cases: "reachability.ipv6". */
export const reachabilityClass = (matrix: ReachabilityMatrix): string =>
  `reachability.${matrix.family ?? "ipv4"}`;
export const BGP_CLASS = "bgp.sessions";

interface TestCase {
  readonly name: string;
  /** Undefined when the case passed. */
  readonly failure?: { readonly type: string; readonly message: string };
}

/** The report as a string, with its XML declaration. Pure: takes no time from the clock. */
export function renderJUnit(input: JUnitInput): string {
  const suites: [string, TestCase[]][] = input.matrices.map((matrix) => [
    reachabilityClass(matrix),
    reachabilityCases(matrix),
  ]);
  if (input.bgp !== undefined) suites.push([BGP_CLASS, bgpCases(input.bgp)]);

  const all = suites.flatMap(([, cases]) => cases);
  const root = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: "\uFFFD" }).ele(
    "testsuites",
    {
      name: `netplan-k verify ${input.name}`,
      tests: String(all.length),
      failures: String(all.filter((c) => c.failure !== undefined).length),
      errors: "0",
    },
  );
  suites.forEach(([name, cases], id) => {
    const suite = root.ele("testsuite", {
      name,
      id: String(id),
      tests: String(cases.length),
      failures: String(cases.filter((c) => c.failure !== undefined).length),
      errors: "0",
      skipped: "0",
    });
    for (const testCase of cases) {
      const element = suite.ele("testcase", { classname: name, name: testCase.name });
      if (testCase.failure !== undefined) {
        element
          .ele("failure", { type: testCase.failure.type, message: testCase.failure.message })
          .txt(testCase.failure.message);
      }
    }
  });
  return root.end({ prettyPrint: true }) + "\n";
}

/** One case per ordered pair of distinct workloads, in matrix order. */
function reachabilityCases(matrix: ReachabilityMatrix): TestCase[] {
  return matrix.endpoints.flatMap((from) =>
    matrix.endpoints
      .filter((to) => to !== from)
      .map((to): TestCase => {
        const label = `${endpointLabel(from)} → ${endpointLabel(to)} (${to.ip})`;
        const where = `${endpointLabel(from)} → ${endpointLabel(to)} at ${to.ip}`;
        const host = matrix.hosts.find((entry) => entry.host === from.host);
        if (host === undefined || host.status === "failed") {
          const reason = host?.status === "failed" ? host.reason : `${from.host} was not checked`;
          return { name: label, failure: { type: "not-checked", message: `${where}: ${reason}` } };
        }
        const path = host.paths.find(
          (entry) =>
            entry.from.host === from.host &&
            entry.from.workload === from.workload &&
            entry.to.host === to.host &&
            entry.to.workload === to.workload,
        );
        if (path === undefined) {
          return {
            name: label,
            failure: { type: "not-checked", message: `${where}: no result for this path` },
          };
        }
        return path.ok
          ? { name: label }
          : { name: label, failure: { type: "unreachable", message: describePath(where, path) } };
      }),
  );
}

const describePath = (where: string, path: ReachabilityPath): string =>
  `${where}: ${path.reason ?? `${path.sent} sent, ${path.received} received`}`;

/** One case per expected session, in the order given; an unexpected session BIRD runs is not one. */
function bgpCases(bgp: NonNullable<JUnitInput["bgp"]>): TestCase[] {
  return bgp.expected.map((expected): TestCase => {
    const label = `${expected.host} → ${expected.peer} (${expected.address})`;
    const where = `${expected.host} → ${expected.peer} at ${expected.address} (BIRD protocol ${expected.protocol})`;
    const host = bgp.hosts.find((entry) => entry.host === expected.host);
    if (host === undefined || host.status === "failed") {
      const reason =
        host?.status === "failed" ? host.reason : `${expected.host}'s BIRD was not asked`;
      return { name: label, failure: { type: "not-checked", message: `${where}: ${reason}` } };
    }
    const session = host.sessions.find((entry) => entry.name === expected.protocol);
    if (session?.protocol === undefined) {
      return {
        name: label,
        failure: { type: "missing", message: `${where}: not configured in BIRD` },
      };
    }
    if (session.established) return { name: label };
    const protocol = session.protocol;
    const info = protocol.message === undefined ? "" : ` (${protocol.message})`;
    return {
      name: label,
      failure: {
        type: "not-established",
        message: `${where}: state ${protocol.state}, ${protocol.info || "no info"}${info}`,
      },
    };
  });
}
