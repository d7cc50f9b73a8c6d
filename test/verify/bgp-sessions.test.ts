import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TransportError } from "../../src/transport/transport-error.js";
import {
  areBgpSessionsEstablished,
  checkBgpSessions,
  renderBgpTable,
  type BgpSession,
  type HostBgpSessions,
} from "../../src/verify/index.js";
import { fakeTransport } from "./fake-transport.js";

// Recorded from BIRD 2.0.12 by fixtures/record-bird.sh, unedited.
const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

describe("checkBgpSessions", () => {
  it("asks birdc on the given socket and keeps the BGP rows, established or not", async () => {
    const transport = fakeTransport("a", () => ({
      exitCode: 0,
      stdout: fixture("bird-protocols-connecting.txt"),
      stderr: "",
    }));
    const result = await checkBgpSessions(transport, {
      socket: "/run/x.ctl",
      expected: ["peer_x", "peer_y"],
    });
    expect(transport.runs.map((run) => run.argv)).toEqual([
      ["birdc", "-s", "/run/x.ctl", "show", "protocols"],
    ]);
    expect(transport.runs[0]?.options.timeoutMs).toBe(10_000);
    expect(result).toEqual({
      host: "a",
      status: "checked",
      sessions: [
        {
          name: "peer_x",
          established: false,
          protocol: {
            name: "peer_x",
            proto: "BGP",
            table: "---",
            state: "start",
            since: "02:08:14.639",
            info: "Active",
            message: "Socket: Connection refused",
          },
        },
        { name: "peer_y", established: false },
      ],
    });
    expect(areBgpSessionsEstablished([result])).toBe(false);
  });

  it("says established when BIRD does, on BIRD's default socket", async () => {
    const transport = fakeTransport("a", () => ({
      exitCode: 0,
      stdout: fixture("bird-protocols-established.txt"),
      stderr: "",
    }));
    const result = await checkBgpSessions(transport, { expected: ["peer_x"] });
    expect(transport.runs[0]?.argv).toEqual(["birdc", "show", "protocols"]);
    expect(
      result.status === "checked" && result.sessions.map((s) => [s.name, s.established]),
    ).toEqual([["peer_x", true]]);
    expect(areBgpSessionsEstablished([result])).toBe(true);
  });

  it("reports BIRD not running, an unreachable host and garbage as host failures", async () => {
    const notRunning = await checkBgpSessions(
      fakeTransport("a", () => ({
        exitCode: 1,
        stdout: "",
        stderr:
          "Unable to connect to server control socket (/run/bird/bird.ctl): No such file or directory\n",
      })),
    );
    expect(notRunning).toEqual({
      host: "a",
      status: "failed",
      reason:
        "a: birdc show protocols failed (exit 1): Unable to connect to server control socket (/run/bird/bird.ctl): No such file or directory; is BIRD running?",
    });
    const unreachable = await checkBgpSessions(
      fakeTransport("b", () => {
        throw new TransportError(
          "transport.timeout",
          "b",
          '"birdc show protocols" did not finish within 10000 ms',
        );
      }),
    );
    expect(unreachable).toEqual({
      host: "b",
      status: "failed",
      reason: 'b: "birdc show protocols" did not finish within 10000 ms',
    });
    const garbage = await checkBgpSessions(
      fakeTransport("c", () => ({ exitCode: 0, stdout: "hello\n", stderr: "" })),
    );
    expect(garbage).toEqual({
      host: "c",
      status: "failed",
      reason: 'c: birdc show protocols printed no table header: "hello\\n"',
    });
    expect(areBgpSessionsEstablished([garbage])).toBe(false);
  });
});

describe("renderBgpTable", () => {
  const up: BgpSession = {
    name: "peer_b",
    established: true,
    protocol: {
      name: "peer_b",
      proto: "BGP",
      table: "---",
      state: "up",
      since: "02:08:17.029",
      info: "Established",
    },
  };
  const hosts: HostBgpSessions[] = [
    {
      host: "a",
      status: "checked",
      sessions: [
        up,
        {
          name: "peer_node_c",
          established: false,
          protocol: {
            name: "peer_node_c",
            proto: "BGP",
            table: "---",
            state: "start",
            since: "02:08:14.639",
            info: "Active",
            message: "Socket: Connection refused",
          },
        },
        { name: "peer_d", established: false },
      ],
    },
    {
      host: "node-c",
      status: "failed",
      reason: "node-c: birdc show protocols failed (exit 1): no socket",
    },
  ];

  it("lists every session, one unchecked host per line, and counts", () => {
    expect(renderBgpTable(hosts, { color: false })).toBe(
      [
        "host    session      state  since         info",
        "a       peer_b       up     02:08:17.029  Established",
        "a       peer_node_c  start  02:08:14.639  Active: Socket: Connection refused",
        "a       peer_d       missing: not configured in BIRD",
        "node-c  -            not checked: node-c: birdc show protocols failed (exit 1): no socket",
        "1 of 3 BGP sessions established; 1 host not checked",
        "",
      ].join("\n"),
    );
  });

  it("names each peer's role in a column after the session, when given", () => {
    const roles: Record<string, string> = {
      "a/peer_b": "route reflector",
      "a/peer_node_c": "rr client",
      "a/peer_d": "mesh peer",
    };
    expect(
      renderBgpTable(hosts, {
        color: false,
        roleOf: (host, session) => roles[`${host}/${session}`],
      }),
    ).toBe(
      [
        "host    session      role             state  since         info",
        "a       peer_b       route reflector  up     02:08:17.029  Established",
        "a       peer_node_c  rr client        start  02:08:14.639  Active: Socket: Connection refused",
        "a       peer_d       mesh peer        missing: not configured in BIRD",
        "node-c  -                             not checked: node-c: birdc show protocols failed (exit 1): no socket",
        "1 of 3 BGP sessions established; 1 host not checked",
        "",
      ].join("\n"),
    );
  });

  it("colours failing rows red and the summary by outcome", () => {
    const established: HostBgpSessions[] = [{ host: "a", status: "checked", sessions: [up] }];
    expect(renderBgpTable(established, { color: true })).toBe(
      [
        "host  session  state  since         info",
        "a     peer_b   up     02:08:17.029  Established",
        "\x1b[32m1 of 1 BGP sessions established\x1b[39m",
        "",
      ].join("\n"),
    );
    expect(renderBgpTable(hosts, { color: true })).toContain(
      "\x1b[31ma       peer_d       missing: not configured in BIRD\x1b[39m\n",
    );
  });
});
