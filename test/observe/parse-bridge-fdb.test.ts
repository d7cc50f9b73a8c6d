import { describe, expect, test } from "vitest";
import { fdbKey } from "../../src/model/fdb-entry.js";
import { parseBridgeFdb } from "../../src/observe/parse-bridge-fdb.js";
import { readJsonFixture } from "./fixtures.js";

describe("parseBridgeFdb", () => {
  test("keeps only the remote VTEP entries (those with a dst) of the assorted fixture", () => {
    const entries = parseBridgeFdb(readJsonFixture("kernel/assorted/fdb.json"));
    expect(entries.sort((a, b) => fdbKey(a).localeCompare(fdbKey(b)))).toEqual([
      { dev: "flannel.1", mac: "00:00:00:00:00:00", dst: "192.0.2.6" },
      { dev: "flannel.1", mac: "00:00:00:00:00:00", dst: "192.0.2.7" },
      { dev: "flannel.1", mac: "0e:00:00:00:00:03", dst: "192.0.2.7" },
    ]);
  });

  test("an entry with a dst but no mac is an error naming the command", () => {
    expect(() => parseBridgeFdb([{ ifname: "flannel.1", dst: "192.0.2.6" }])).toThrow(
      'bridge -j fdb show: entry 0: "mac" must be a string, found nothing',
    );
  });
});
