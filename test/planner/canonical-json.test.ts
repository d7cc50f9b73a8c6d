import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/planner/canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth, inside arrays too, and leaves out undefined members", () => {
    const value = { b: 1, a: [{ z: 1, y: { d: 2, c: undefined } }], c: undefined };
    expect(canonicalJson(value)).toBe('{"a":[{"y":{"d":2},"z":1}],"b":1}');
  });

  it('keeps a member named "__proto__" of parsed JSON as a member, in its place', () => {
    const parsed: unknown = JSON.parse('{"b":1,"__proto__":{"x":2},"a":0}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":2},"a":0,"b":1}');
  });
});
