import { describe, expect, it } from "vitest";
import type { FdbEntry } from "../../src/model/index.js";
import { parseBridgeFdb } from "../../src/observe/parse-bridge-fdb.js";
import { fdbFieldChanges } from "../../src/planner/field-changes.js";
import { readJsonFixture } from "../observe/fixtures.js";

// A VTEP's fdb entry can carry its own UDP port or VNI (`bridge fdb … port N` / `vni N`): the
// peer's frames then go where nobody listens, though the destination is right. Recorded in
// test/fixtures/kernel/truth-faults/fdb-overrides.json (see test/fixtures/README.md).
const observed = parseBridgeFdb(readJsonFixture("kernel/truth-faults/fdb-overrides.json"));
const entry = (mac: string): FdbEntry => {
  const found = observed.find((e) => e.mac === mac);
  if (found === undefined) throw new Error(`no fdb entry for ${mac} in the fixture`);
  return found;
};
/** What compile writes: the peer's MAC at its underlay address, no override. */
const desired = ({ dev, mac, dst }: FdbEntry): FdbEntry => ({ dev, mac, dst });

describe("fdb entries with a port or VNI of their own", () => {
  it("are read from bridge -j fdb, only where the kernel prints an override", () => {
    expect(entry("02:00:00:00:00:0c")).toEqual({
      dev: "flannel.1",
      mac: "02:00:00:00:00:0c",
      dst: "192.0.2.12",
      port: 9999,
    });
    expect(entry("02:00:00:00:00:0d").vni).toBe(7);
    expect(entry("02:00:00:00:00:0b")).toEqual({
      dev: "flannel.1",
      mac: "02:00:00:00:00:0b",
      dst: "192.0.2.11",
    });
  });

  it("differ from the entry compile wants, so the plan replaces them (which drops both)", () => {
    const port = entry("02:00:00:00:00:0c");
    const vni = entry("02:00:00:00:00:0d");
    expect(fdbFieldChanges(desired(port), port).map((c) => c.field)).toEqual(["port"]);
    expect(fdbFieldChanges(desired(vni), vni).map((c) => c.field)).toEqual(["vni"]);
  });

  it("an entry without an override is no change (no false alarm)", () => {
    const plain = entry("02:00:00:00:00:0b");
    expect(fdbFieldChanges(desired(plain), plain)).toEqual([]);
  });
});
