import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ObservationError, parseBirdProtocols } from "../../src/observe/index.js";

// Recorded from BIRD 2.0.12 by test/verify/fixtures/record-bird.sh, unedited. The parser
// serves the observation, apply's wait for BGP and verify.
const fixture = (name: string): string =>
  readFileSync(new URL(`../verify/fixtures/${name}`, import.meta.url), "utf8");

const others = [
  { name: "device1", proto: "Device", table: "---", state: "up", since: "02:08:14.639", info: "" },
  { name: "direct1", proto: "Direct", table: "---", state: "up", since: "02:08:14.639", info: "" },
  {
    name: "kernel1",
    proto: "Kernel",
    table: "master4",
    state: "up",
    since: "02:08:14.639",
    info: "",
  },
  {
    name: "static1",
    proto: "Static",
    table: "master4",
    state: "up",
    since: "02:08:14.639",
    info: "",
  },
];

describe("parseBirdProtocols", () => {
  it("reads a session still trying to connect, with BIRD's last error as the message", () => {
    expect(parseBirdProtocols(fixture("bird-protocols-connecting.txt"))).toEqual([
      ...others,
      {
        name: "peer_x",
        proto: "BGP",
        table: "---",
        state: "start",
        since: "02:08:14.639",
        info: "Active",
        message: "Socket: Connection refused",
      },
    ]);
  });

  it("reads an established session", () => {
    expect(parseBirdProtocols(fixture("bird-protocols-established.txt")).at(-1)).toEqual({
      name: "peer_x",
      proto: "BGP",
      table: "---",
      state: "up",
      since: "02:08:17.029",
      info: "Established",
    });
  });

  it("reads a disabled session (no info at all)", () => {
    expect(parseBirdProtocols(fixture("bird-protocols-disabled.txt")).at(-1)).toEqual({
      name: "peer_x",
      proto: "BGP",
      table: "---",
      state: "down",
      since: "02:08:17.076",
      info: "",
    });
  });

  it("reads long names that push the columns, and a two-word since (iso long)", () => {
    const output = [
      "BIRD 2.0.12 ready.",
      "Name       Proto      Table      State  Since         Info",
      "peer_very_long_host_name BGP        ---        up     2024-05-01 02:08:17  Established   ",
      "peer_b     BGP        ---        start  2024-05-01    Connect       Socket: No route to host",
      "",
    ].join("\n");
    expect(parseBirdProtocols(output)).toEqual([
      {
        name: "peer_very_long_host_name",
        proto: "BGP",
        table: "---",
        state: "up",
        since: "2024-05-01 02:08:17",
        info: "Established",
      },
      {
        name: "peer_b",
        proto: "BGP",
        table: "---",
        state: "start",
        since: "2024-05-01",
        info: "Connect",
        message: "Socket: No route to host",
      },
    ]);
  });

  it("refuses output without the table header, and rows too short to read", () => {
    expect(() =>
      parseBirdProtocols("Unable to connect to server control socket (/run/bird/bird.ctl)\n"),
    ).toThrow(/birdc show protocols printed no table header/);
    expect(() =>
      parseBirdProtocols(
        "Name       Proto      Table      State  Since         Info\npeer_x BGP\n",
      ),
    ).toThrow(new ObservationError("unreadable birdc protocol line: peer_x BGP"));
  });
});
