import { describe, expect, test } from "vitest";
import { ObservationError } from "../../src/observe/observation-error.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { parseSnapshot, renderSnapshot, type Snapshot } from "../../src/observe/snapshot.js";
import { readFixture } from "./fixtures.js";

const snapshot: Snapshot = {
  formatVersion: 1,
  topology: "vxlan-demo",
  hosts: ["node-1", "node-2", "node-3"].map((host) =>
    parseObservation(host, readFixture(`converged/vxlan/${host}.txt`)),
  ),
};

/** The rendered snapshot as plain JSON, to break on purpose. */
const editable = (): { hosts: { state: { root: { routes: Record<string, unknown>[] } } }[] } =>
  JSON.parse(renderSnapshot(snapshot));

/** Indented as `observe` writes it, so that each value has its own line. */
const pretty = (json: unknown): string => JSON.stringify(json, null, 2);

/**
 * "line:column" of the value in `"key": value` on the line of `text` that holds it: the only
 * such line, or with `last` the last one.
 */
function positionOf(text: string, keyAndValue: string, last = false): string {
  const lines = text.split("\n");
  const holding = lines.flatMap((l, i) => (l.includes(keyAndValue) ? [i] : []));
  const line = last ? holding[holding.length - 1] : holding[0];
  if (line === undefined || (!last && holding.length > 1))
    throw new Error(`${keyAndValue} must be on exactly one line`);
  const valueAt = (lines[line] ?? "").indexOf(keyAndValue) + keyAndValue.indexOf(": ") + 2;
  return `${line + 1}:${valueAt + 1}`;
}

function errorOf(text: string): string {
  try {
    parseSnapshot(text, "state.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ObservationError);
    return (error as Error).message;
  }
  throw new Error("parseSnapshot accepted the text");
}

describe("snapshot", () => {
  test("round trip: parse(render(s)) equals s, and rendering is stable", () => {
    const text = renderSnapshot(snapshot);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toBe('  "formatVersion": 1,');
    const parsed = parseSnapshot(text, "state.json");
    expect(parsed).toEqual(snapshot);
    expect(renderSnapshot(parsed)).toBe(text);
  });

  test("a missing field names its path", () => {
    const json = editable();
    delete json.hosts[2]?.state.root.routes[0]?.["dst"];
    expect(errorOf(JSON.stringify(json))).toMatch(
      /^state\.json:1:\d+: hosts\[2\]\.state\.root\.routes\[0\]\.dst is missing$/,
    );
  });

  test("a field of the wrong type, a bad enum value, an unknown field", () => {
    const wrongType = editable();
    wrongType.hosts[0]!.state.root.routes[1]!["table"] = true;
    expect(errorOf(pretty(wrongType))).toBe(
      `state.json:${positionOf(pretty(wrongType), '"table": true')}: hosts[0].state.root.routes[1].table must be an integer`,
    );
    const badEnum = editable();
    badEnum.hosts[0]!.state.root.routes[0]!["scope"] = "universe";
    expect(errorOf(pretty(badEnum))).toBe(
      `state.json:${positionOf(pretty(badEnum), '"scope": "universe"')}: hosts[0].state.root.routes[0].scope must be one of global, link, host, site, nowhere`,
    );
    const unknown = editable();
    unknown.hosts[1]!.state.root.routes[0]!["gateway"] = "10.1.15.0";
    expect(errorOf(pretty(unknown))).toBe(
      `state.json:${positionOf(pretty(unknown), '"gateway": "10.1.15.0"')}: hosts[1].state.root.routes[0].gateway is not a snapshot field`,
    );
  });

  test("not JSON, cut short, not an object, another format version", () => {
    expect(errorOf("{]")).toMatch(/^state\.json: cannot read the snapshot: not valid JSON: /);
    const text = renderSnapshot(snapshot);
    expect(errorOf(text.slice(0, text.length / 2))).toBe(
      "state.json: cannot read the snapshot: the file ends before the JSON does: it was cut short",
    );
    expect(errorOf("")).toBe("state.json: cannot read the snapshot: the file is empty");
    expect(errorOf("[]")).toBe("state.json: not a snapshot (the JSON is not an object)");
    expect(errorOf('{"formatVersion":99,"topology":"x","hosts":[]}')).toBe(
      "state.json: this snapshot was written by a newer netplan-k (format 99; this one reads format 1): use that netplan-k, or make it again with this one",
    );
    expect(errorOf('{"topology":"x","hosts":[]}')).toBe(
      "state.json: formatVersion is missing, so this is not a snapshot netplan-k wrote (it reads format 1)",
    );
  });

  test("a route destination, a gateway or an address that is not IPv4 is refused at its position", () => {
    const badDst = editable();
    badDst.hosts[1]!.state.root.routes[0]!["dst"] = "10.1.300.0/24";
    expect(errorOf(pretty(badDst))).toBe(
      `state.json:${positionOf(pretty(badDst), '"dst": "10.1.300.0/24"')}: hosts[1].state.root.routes[0].dst "10.1.300.0/24" is not an IPv4 CIDR (a.b.c.d/n): octet 300 is over 255`,
    );
    const noPrefix = editable();
    noPrefix.hosts[0]!.state.root.routes[2]!["dst"] = "default";
    expect(errorOf(pretty(noPrefix))).toBe(
      `state.json:${positionOf(pretty(noPrefix), '"dst": "default"')}: hosts[0].state.root.routes[2].dst "default" is not an IPv4 CIDR (a.b.c.d/n)`,
    );
    const badVia = editable();
    const route = badVia.hosts[2]!.state.root.routes.find((r) => r["via"] !== undefined)!;
    route["via"] = "10.1.15.0/24";
    expect(errorOf(pretty(badVia))).toMatch(
      /^state\.json:\d+:\d+: hosts\[2\]\.state\.root\.routes\[\d+\]\.via "10\.1\.15\.0\/24" is not an IPv4 address$/,
    );
    const badAddress = editable() as unknown as {
      hosts: { state: { namespaces: { net: { addresses: { cidr: string }[] } }[] } }[];
    };
    badAddress.hosts[0]!.state.namespaces[0]!.net.addresses[0]!.cidr = "10.1.15.2/33";
    expect(errorOf(pretty(badAddress))).toBe(
      `state.json:${positionOf(pretty(badAddress), '"cidr": "10.1.15.2/33"')}: hosts[0].state.namespaces[0].net.addresses[0].cidr "10.1.15.2/33" is not an IPv4 CIDR (a.b.c.d/n): prefix length /33 is over 32`,
    );
  });

  test("a host's IPv6 addresses and routes load (observe writes them for every host), bad ones are refused", () => {
    // Recorded from a dual-stack vxlan lab (test/fixtures/README.md, "dual-stack").
    const dualStack: Snapshot = {
      formatVersion: 1,
      topology: "lab-dual-stack",
      hosts: ["node-1", "node-2"].map((host) =>
        parseObservation(host, readFixture(`converged/dual-stack-vxlan-bridge/${host}.txt`)),
      ),
    };
    const text = renderSnapshot(dualStack);
    expect(text).toMatch(/"cidr": "[0-9a-f:]+:[0-9a-f:]*\/\d+"/);
    expect(parseSnapshot(text, "state.json")).toEqual(dualStack);
    const edited = JSON.parse(text) as {
      hosts: { state: { root: { addresses: { cidr: string }[] } } }[];
    };
    const v6 = edited.hosts[0]!.state.root.addresses.find((a) => a.cidr.includes(":"))!;
    for (const [bad, problem] of [
      ["2001:db8::zz/64", "is not an IPv6 CIDR (2001:db8::/n)"],
      ["2001:db8::11/129", "is not an IPv6 CIDR (2001:db8::/n): its prefix length is over 128"],
      ["2001:db8::11", "is not an IPv6 CIDR (2001:db8::/n)"],
    ] as const) {
      v6.cidr = bad;
      expect(errorOf(pretty(edited))).toMatch(
        new RegExp(
          `^state\\.json:\\d+:\\d+: hosts\\[0\\]\\.state\\.root\\.addresses\\[\\d+\\]\\.cidr "${bad.replace(/\./g, "\\.")}" ${problem.replace(/[()/]/g, "\\$&")}$`,
        ),
      );
    }
  });

  test("a host named twice is refused at the second name", () => {
    const twice = editable() as unknown as { hosts: { host: string }[] };
    twice.hosts[2]!.host = "node-1";
    const text = pretty(twice);
    expect(errorOf(text)).toBe(
      `state.json:${positionOf(text, '"host": "node-1"', true)}: hosts[2].host "node-1" is already hosts[0].host: each host appears once`,
    );
  });

  test("snapshots of real hosts load: no false alarm on their routes and addresses", () => {
    for (const file of [
      "realistic-converged-snapshot.json",
      "c01-converged-before-renumbering.json",
      "c04-state-converged.json",
      "c09-state-foreign-block-overlap.json",
    ]) {
      const text = readFixture(`real-hosts/${file}`);
      expect(parseSnapshot(text, file).hosts.length).toBeGreaterThan(0);
    }
  });
});
