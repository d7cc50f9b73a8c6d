import { Address4 } from "ip-address";
import { describe, expect, it } from "vitest";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import { prepareRules, walkRules, type WalkEnd } from "../../src/planner/rule-walk.js";
import { readJsonFixture } from "../observe/fixtures.js";

// The rules recorded in test/fixtures/kernel/rule-actions (`ip rule` of a namespace):
// 100 to 10.244.1.0/24 prohibit, 101 to 10.244.2.0/24 blackhole, 102 from 10.244.3.0/24
// unreachable, 103 to 10.244.0.0/16 goto 200, 104 nop, 105 goto 400 (unresolved), 200 lookup
// main suppress_prefixlength 24, 201–207 selective lookups of 100 (206: suppress 0), then
// main and default.
const recorded = parseIpRules(readJsonFixture("kernel/rule-actions/rule.json"));
const rules = prepareRules(recorded, "10.244.0.0/16");

/** The ends of the walk for `dst` with one route of netplan-k's in main for it. */
const endsFor = (dst: string): string[] =>
  walkRules(rules, new Address4(dst), [
    { prefix: new Address4(dst), table: 254, metric: 0, id: "claim" },
  ]).map(describeEnd);

/** "route at 32766", "dropped at 100", or "unrouted" (no rule found a route). */
const describeEnd = (end: WalkEnd<string>): string =>
  end.kind === "unrouted" ? end.kind : `${end.kind} at ${end.rule.priority}`;

describe("walkRules over recorded rules", () => {
  it("a prohibit or blackhole rule for the whole range ends every walk there", () => {
    expect(endsFor("10.244.1.0/24")).toEqual(["dropped at 100"]);
    expect(endsFor("10.244.2.0/24")).toEqual(["dropped at 101"]);
  });

  it("an unreachable rule for some sources, then goto 200: suppress 24 passes the /24 on to main", () => {
    expect(endsFor("10.244.4.0/24")).toEqual(["dropped at 102", "route at 32766"]);
  });

  it("a /25 is longer than the suppressed length: main at 200 finds it", () => {
    expect(endsFor("10.244.4.0/25")).toEqual(["dropped at 102", "route at 200"]);
  });

  it("outside the goto's range the nop and the unresolved goto are passed over to 200", () => {
    const outside = walkRules(prepareRules(recorded, "10.0.0.0/8"), new Address4("10.9.0.0/24"), [
      { prefix: new Address4("10.9.0.0/24"), table: 254, metric: 0, id: "claim" },
    ]);
    // Suppressed at 200 (a /24), found at main.
    expect(outside.map(describeEnd)).toEqual(["dropped at 102", "route at 32766"]);
  });

  it("a foreign route in the table of a selective rule takes the packets that rule matches", () => {
    const range = new Address4("10.244.4.0/24");
    const ends = walkRules(rules, range, [
      { prefix: new Address4("10.244.4.0/24"), table: 100, metric: 0, id: "foreign" },
      { prefix: range, table: 254, metric: 0, id: "claim" },
    ]);
    expect(
      ends.map((end) =>
        end.kind === "route" ? `${end.id} at ${end.rule.priority}` : describeEnd(end),
      ),
    ).toEqual([
      "dropped at 102",
      "foreign at 201",
      "foreign at 202",
      "foreign at 203",
      "foreign at 204",
      // 206 matches every packet and its suppression (0) keeps a /24: the walk ends there.
      "foreign at 206",
    ]);
  });
});
