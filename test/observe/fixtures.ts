import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Reads a file under test/fixtures/ (recorded by scripts/record-fixtures.sh). */
export const readFixture = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), "utf8");

export const readJsonFixture = (path: string): unknown => JSON.parse(readFixture(path));

/** A MAC the kernel chose at random when the fixture was recorded. */
export const RANDOM_MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
