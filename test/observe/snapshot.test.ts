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
    expect(errorOf(JSON.stringify(json))).toBe(
      "state.json: hosts[2].state.root.routes[0].dst is missing",
    );
  });

  test("a field of the wrong type, a bad enum value, an unknown field", () => {
    const wrongType = editable();
    wrongType.hosts[0]!.state.root.routes[1]!["table"] = true;
    expect(errorOf(JSON.stringify(wrongType))).toBe(
      "state.json: hosts[0].state.root.routes[1].table must be an integer",
    );
    const badEnum = editable();
    badEnum.hosts[0]!.state.root.routes[0]!["scope"] = "universe";
    expect(errorOf(JSON.stringify(badEnum))).toBe(
      "state.json: hosts[0].state.root.routes[0].scope must be one of global, link, host, site, nowhere",
    );
    const unknown = editable();
    unknown.hosts[1]!.state.root.routes[0]!["gateway"] = "10.1.15.0";
    expect(errorOf(JSON.stringify(unknown))).toBe(
      "state.json: hosts[1].state.root.routes[0].gateway is not a snapshot field",
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
});
