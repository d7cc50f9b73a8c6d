import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./run-cli.js";

/**
 * The package as a user gets it: `npm pack` of the built tree, installed with `npm install -g
 * --prefix` into an empty directory (its dependencies come from the registry), and run from
 * the PATH. Packing skips the prepack build: like every CLI test, this one runs the build
 * that `npm test` made, and rebuilding here would change dist/ under tests running beside it.
 */

const scratch = mkdtempSync(join(tmpdir(), "xf-package-"));
const prefix = join(scratch, "prefix");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const version = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }
).version;
let packed: string[] = [];
let tarball = "";

beforeAll(async () => {
  const pack = await execa(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch],
    { cwd: ROOT },
  );
  const [result] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packed = result?.files.map((file) => file.path) ?? [];
  tarball = join(scratch, result?.filename ?? "");
  await execa("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", tarball], {
    cwd: scratch,
  });
}, 240_000);

/** Runs the installed netplan-k found on the PATH, from a directory outside the repository. */
const installed = (args: readonly string[]) =>
  execa("netplan-k", args, {
    cwd: scratch,
    reject: false,
    env: { PATH: `${join(prefix, "bin")}:${process.env["PATH"] ?? ""}`, NO_COLOR: "1" },
  });

describe("npm pack", () => {
  it("holds what netplan-k reads at run time", () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "dist/cli/main.js",
        "schemas/topology.schema.json",
        "schemas/events.schema.json",
        "scripts/guest-kernel.sh",
        "docs/events-json.md",
      ]),
    );
  });

  it("holds nothing of the tests, and no compiled file without its source", () => {
    expect(packed.filter((path) => /(^|\/)test\/|\.test\.|vitest/.test(path))).toEqual([]);
    const orphans = packed
      .filter((path) => path.startsWith("dist/") && path.endsWith(".js"))
      .filter(
        (path) => !existsSync(join(ROOT, path.replace(/^dist\//, "src/").replace(/\.js$/, ".ts"))),
      );
    expect(orphans).toEqual([]);
  });
});

describe("npm install -g of the tarball", () => {
  it("puts netplan-k on the PATH, printing the package's version", async () => {
    const run = await installed(["--version"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(version);
  });

  it("validates a topology with the schema it ships", async () => {
    const run = await installed(["validate", join(ROOT, "examples/lab-vxlan.yaml")]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("valid");
  });

  it("prints shell completion", async () => {
    const run = await installed(["completion", "bash"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("complete -o default -F _netplan_k netplan-k");
  });
});
