import { describe, expect, test } from "vitest";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { parseSnapshot, renderSnapshot } from "../../src/observe/snapshot.js";
import { readFixture } from "./fixtures.js";

// The converged vxlan hosts (recorded from namespaces, test/fixtures/README.md) as a snapshot,
// with one number made impossible, indented as `observe` writes it.
type Editable = {
  hosts: {
    state: {
      root: {
        links: { mtu: number; vxlan?: { id: number; port: number } }[];
        routes: { metric: number; protocol: number | string; table: number | string }[];
      };
    };
  }[];
};
const converged = (): Editable =>
  JSON.parse(
    renderSnapshot({
      formatVersion: 1,
      topology: "vxlan-demo",
      hosts: ["node-1", "node-2"].map((host) =>
        parseObservation(host, readFixture(`converged/vxlan/${host}.txt`)),
      ),
    }),
  );

function errorOf(edit: (snapshot: Editable) => void): string {
  const snapshot = converged();
  edit(snapshot);
  try {
    parseSnapshot(JSON.stringify(snapshot, null, 2), "state.json");
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
}

describe("a snapshot with a number no kernel holds", () => {
  test("an MTU of zero or less is refused at its file:line:column", () => {
    expect(
      errorOf((s) => {
        s.hosts[1]!.state.root.links[0]!.mtu = -1500;
      }),
    ).toMatch(
      /^state\.json:\d+:\d+: hosts\[1\]\.state\.root\.links\[0\]\.mtu -1500 is impossible: a kernel holds 1 to 2147483647 there$/,
    );
    expect(
      errorOf((s) => {
        s.hosts[0]!.state.root.links[1]!.mtu = 0;
      }),
    ).toMatch(/^state\.json:\d+:\d+: hosts\[0\]\.state\.root\.links\[1\]\.mtu 0 is impossible/);
  });

  test("a vxlan id over 24 bits, a port over 16, a route protocol over 8 bits, a negative metric", () => {
    const vtep = (s: Editable) => s.hosts[0]!.state.root.links.find((l) => l.vxlan)!.vxlan!;
    expect(errorOf((s) => void (vtep(s).id = 2 ** 24))).toMatch(
      /\.vxlan\.id 16777216 is impossible/,
    );
    expect(errorOf((s) => void (vtep(s).port = 70000))).toMatch(
      /\.vxlan\.port 70000 is impossible/,
    );
    expect(errorOf((s) => void (s.hosts[0]!.state.root.routes[0]!.protocol = 300))).toMatch(
      /routes\[0\]\.protocol 300 is impossible: a kernel holds 0 to 255 there$/,
    );
    expect(errorOf((s) => void (s.hosts[0]!.state.root.routes[0]!.metric = -1))).toMatch(
      /routes\[0\]\.metric -1 is impossible/,
    );
  });

  test('a table written "main" or "50" (observe writes their numbers) is refused', () => {
    expect(errorOf((s) => void (s.hosts[0]!.state.root.routes[0]!.table = "main"))).toMatch(
      /^state\.json:\d+:\d+: hosts\[0\]\.state\.root\.routes\[0\]\.table "main" is not how observe writes that table: write it as the number 254 /,
    );
    expect(errorOf((s) => void (s.hosts[1]!.state.root.routes[0]!.table = "50"))).toMatch(
      /routes\[0\]\.table "50" is not how observe writes that table: write it as the number 50 /,
    );
  });

  test("no false alarm: a table named by the host's own rt_tables stays a name", () => {
    expect(errorOf((s) => void (s.hosts[0]!.state.root.routes[0]!.table = "vpn"))).toBe("accepted");
  });

  test("the recorded snapshot itself is accepted", () => {
    expect(errorOf(() => undefined)).toBe("accepted");
  });
});
