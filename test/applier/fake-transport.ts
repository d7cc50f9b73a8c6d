import type { RunOptions, RunResult, Transport } from "../../src/transport/index.js";
import { APPLY_KIND, stepSection } from "../../src/applier/apply-script.js";
import { BGP_POLL_KIND } from "../../src/applier/wait-for-bgp.js";
import { OBSERVATION_KIND } from "../../src/observe/observation-script.js";
import { formatRemoteOutput } from "../../src/remote/index.js";
import { TransportError } from "../../src/transport/index.js";

/** One recorded call: what the applier asked the host to run. */
export interface FakeCall {
  readonly argv: readonly string[];
  readonly stdin?: string;
}

export type FakeResponse = (call: FakeCall) => RunResult;

export interface FakeTransport extends Transport {
  readonly calls: readonly FakeCall[];
}

/**
 * A transport that answers from a script: the n-th call gets responses[n] (the last one
 * repeats), except the call numbered `failOnCall` (1-based), which throws the TransportError
 * an unreachable host would.
 */
export function createFakeTransport(
  host: string,
  responses: readonly FakeResponse[],
  options: { readonly failOnCall?: number } = {},
): FakeTransport {
  const calls: FakeCall[] = [];
  return {
    host,
    calls,
    async run(argv: readonly string[], runOptions: RunOptions = {}): Promise<RunResult> {
      const call: FakeCall = {
        argv: [...argv],
        ...(runOptions.stdin !== undefined && { stdin: runOptions.stdin }),
      };
      calls.push(call);
      if (calls.length === options.failOnCall) {
        throw new TransportError(
          "transport.unreachable",
          host,
          "ssh: connect to host 192.0.2.1 port 22: No route to host",
        );
      }
      const respond = responses[Math.min(calls.length, responses.length) - 1];
      if (respond === undefined) throw new Error("the fake transport has no responses");
      return respond(call);
    },
    async close() {},
  };
}

export const answer =
  (stdout: string, exitCode = 0, stderr = ""): FakeResponse =>
  () => ({ exitCode, stdout, stderr });

/** What the apply script prints when every step succeeds (it counts the steps it was sent). */
export const applySucceeds: FakeResponse = (call) => {
  const steps = (call.stdin ?? "").match(/^ {2}nk_run \d+$/gm)?.length ?? 0;
  const sections = Array.from({ length: steps }, (_, i) => ({
    name: stepSection(i + 1),
    body: "",
  }));
  return { exitCode: 0, stdout: formatRemoteOutput(APPLY_KIND, sections), stderr: "" };
};

/**
 * What a build script with the verification riding it prints when every step succeeds: the
 * apply's output, then the observation's (`observation`, the text the host answers with).
 */
export const applySucceedsThenObserves =
  (observation: string): FakeResponse =>
  (call) => {
    const applied = applySucceeds(call);
    return { ...applied, stdout: `${applied.stdout}${observation}` };
  };

/** What one BGP poll prints: birdc's answer, then the route listing (wait-for-bgp.ts). */
export const bgpPollAnswer = (protocols: string, routes: string): FakeResponse =>
  answer(
    formatRemoteOutput(BGP_POLL_KIND, [
      { name: "protocols", body: protocols },
      { name: "routes", body: routes },
    ]),
  );

/** `ip -j addr` of a host whose eth0 holds `cidr` (and nothing else has an address). */
function underlayAddresses(cidr: string | undefined): unknown[] {
  if (cidr === undefined) return [];
  const [local, prefixlen] = cidr.split("/");
  return [
    {
      ifname: "eth0",
      addr_info: [{ family: "inet", local, prefixlen: Number(prefixlen), scope: "global" }],
    },
  ];
}

/**
 * Observation output (OBSERVATION_SCRIPT's format) of a host with the given root listings and
 * no workload namespaces.
 */
export function observationText(
  parts: {
    readonly links?: readonly unknown[];
    readonly routes?: readonly unknown[];
    readonly ipip?: boolean;
    /** The underlay eth0's address in CIDR form; none when left out. */
    readonly underlayAddress?: string;
  } = {},
): string {
  const underlay = {
    ifname: "eth0",
    flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
    mtu: 1500,
    address: "ca:e9:02:c8:de:85",
  };
  return formatRemoteOutput(OBSERVATION_KIND, [
    { name: "link", body: JSON.stringify([underlay, ...(parts.links ?? [])]) },
    { name: "addr", body: JSON.stringify(underlayAddresses(parts.underlayAddress)) },
    { name: "route", body: JSON.stringify(parts.routes ?? []) },
    { name: "neigh", body: "[]" },
    { name: "fdb", body: "[]" },
    { name: "netns", body: "" },
    { name: "sysctl", body: "net.ipv4.ip_forward=0\nnet.ipv4.conf.eth0.proxy_arp=0" },
    { name: "bird", body: "running=0" },
    {
      name: "facts",
      body: `driver.ipip=${parts.ipip === false ? 0 : 1}\niproute2=ip utility, iproute2-6.1.0, libbpf 1.1.2\nkernel=6.1.0`,
    },
  ]);
}
