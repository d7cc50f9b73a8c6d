import { describe, expect, test } from "vitest";
import {
  FormatVersionError,
  parseJsonDocument,
  upgradeToCurrent,
  type FormatHistory,
} from "../../src/model/format-version.js";

/** A history with two upgrades: format 2 renamed `host` to `name`, format 3 added `facts`. */
const history: FormatHistory = {
  document: "record",
  current: 3,
  oldest: 1,
  upgrades: {
    1: ({ host, ...rest }) => ({ ...rest, name: host }),
    2: (json) => ({ facts: {}, ...json }),
  },
};

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatVersionError);
    return (error as Error).message;
  }
  throw new Error("no error");
}

describe("upgradeToCurrent", () => {
  test("a file of every version it reads comes out as the current version", () => {
    expect(upgradeToCurrent({ formatVersion: 1, host: "a" }, "f.json", history)).toEqual({
      formatVersion: 3,
      name: "a",
      facts: {},
    });
    expect(upgradeToCurrent({ formatVersion: 2, name: "a" }, "f.json", history)).toEqual({
      formatVersion: 3,
      name: "a",
      facts: {},
    });
    const current = { formatVersion: 3, name: "a", facts: { x: 1 } };
    expect(upgradeToCurrent(current, "f.json", history)).toBe(current);
  });

  test("newer, older, missing and nonsense versions say what was found and what is read", () => {
    const newer = { ...history, oldest: 2 };
    expect(errorOf(() => upgradeToCurrent({ formatVersion: 4 }, "f.json", newer))).toBe(
      "f.json: this record was written by a newer netplan-k (format 4; this one reads formats 2 to 3): use that netplan-k, or make it again with this one",
    );
    expect(errorOf(() => upgradeToCurrent({ formatVersion: 1 }, "f.json", newer))).toBe(
      "f.json: this record was written by an older netplan-k (format 1; this one reads formats 2 to 3): make it again with this one",
    );
    expect(errorOf(() => upgradeToCurrent({}, "f.json", history))).toBe(
      "f.json: formatVersion is missing, so this is not a record netplan-k wrote (it reads formats 1 to 3)",
    );
    expect(errorOf(() => upgradeToCurrent({ formatVersion: "1" }, "f.json", history))).toBe(
      'f.json: formatVersion "1" is not a version netplan-k writes (it reads formats 1 to 3)',
    );
    expect(errorOf(() => upgradeToCurrent([1], "f.json", history))).toBe(
      "f.json: not a record (the JSON is not an object)",
    );
  });
});

describe("parseJsonDocument", () => {
  const text = JSON.stringify({ formatVersion: 1, hosts: [{ host: "a", up: true }] }, null, 2);

  test("a file cut short anywhere says so", () => {
    for (let end = 1; end < text.trimEnd().length; end++) {
      const message = errorOf(() => parseJsonDocument(text.slice(0, end), "f.json", "record"));
      expect(message, text.slice(0, end)).toBe(
        "f.json: cannot read the record: the file ends before the JSON does: it was cut short",
      );
    }
  });

  test("other broken JSON is named as such, an empty file as empty", () => {
    expect(errorOf(() => parseJsonDocument('{"a": 1]', "f.json", "record"))).toMatch(
      /^f\.json: cannot read the record: not valid JSON: /,
    );
    expect(errorOf(() => parseJsonDocument(" \n", "f.json", "record"))).toBe(
      "f.json: cannot read the record: the file is empty",
    );
  });
});
