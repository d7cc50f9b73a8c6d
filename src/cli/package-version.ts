import { readFileSync } from "node:fs";

/**
 * The version of the installed package, from its package.json: dist/cli/ sits two levels
 * below the package root, in the repository and in an npm install alike.
 */
export function readPackageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
