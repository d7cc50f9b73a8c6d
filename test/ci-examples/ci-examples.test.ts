import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { execa } from "execa";
import { XMLParser } from "fast-xml-parser";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CLI, ROOT } from "../cli/run-cli.js";
import { namespacesWithPrefix } from "../lab/lab-fixture.js";
import { readGitHubActions, readGitLabCi, type CiPipeline, type CiStep } from "./ci-steps.js";

/**
 * Runs the commands of examples/ci/*.yml in the order the CI system would, so the examples
 * cannot rot. The repository they check out is a scratch git repository whose origin/main
 * holds the base topology and whose work tree holds the changed one (a workload added): a
 * lab of two hosts with this test's prefix, named by TOPOLOGY as the examples expect.
 * netplan-k is installed by the examples' own command, from the tarball `npm pack` makes of
 * this build (NETPLAN_K), into a scratch prefix. Stand-ins, and only these:
 * - `uses:` steps (actions) do not run; the files they read must exist.
 * - the apt-get line is not run (it would change this machine); every package it names must
 *   be installed here instead (scripts/install-deps.sh installs them).
 * - the review comment goes to an HTTP server on loopback standing in for the GitHub and
 *   GitLab APIs, which records it.
 * Run with flock /tmp/nk-lab.lock: it builds labs.
 */

const scratch = mkdtempSync(join(tmpdir(), "xf-ci-"));
const prefix = join(scratch, "npm-prefix");
let tarball = "";

const schema = JSON.parse(readFileSync(join(ROOT, "schemas/events.schema.json"), "utf8"));
const ajv = new Ajv2020({ strict: true });
addFormats.default(ajv);
const validateEvent = ajv.compile(schema);

/** The topology of the scratch repository, with a lab of this test's own prefix. */
const topology = (labPrefix: string, withGreen: boolean) =>
  stringify({
    apiVersion: "netplan-k/v1",
    name: `ci-${labPrefix}`,
    cluster: { cidr: "10.7.0.0/16", mode: "vxlan", attach: "bridge" },
    hosts: [
      { name: "node-1", address: "192.0.2.71/24", namespaces: [{ name: "red" }] },
      {
        name: "node-2",
        address: "192.0.2.72/24",
        namespaces: [{ name: "blue" }, ...(withGreen ? [{ name: "green" }] : [])],
      },
    ],
    lab: { prefix: labPrefix },
  });

const git = (cwd: string, ...args: string[]) =>
  execa("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.com", ...args], { cwd });

/** A checkout as the CI system makes it: origin/main has the base, the work tree the change. */
async function makeCheckout(name: string, labPrefix: string, file: string): Promise<string> {
  const origin = join(scratch, `${name}-origin.git`);
  const repo = join(scratch, name);
  await execa("git", ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  mkdirSync(join(repo, "network"), { recursive: true });
  await git(repo, "init", "--quiet", "--initial-branch=main");
  await git(repo, "remote", "add", "origin", origin);
  writeFileSync(join(repo, file), topology(labPrefix, false));
  await git(repo, "add", ".");
  await git(repo, "commit", "--quiet", "-m", "base network");
  await git(repo, "push", "--quiet", "origin", "main");
  writeFileSync(join(repo, file), topology(labPrefix, true));
  return repo;
}

interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Loopback HTTP server standing in for the forge's API: records every request, answers 201. */
async function startApi(): Promise<{ url: string; requests: ApiRequest[]; server: Server }> {
  const requests: ApiRequest[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
      });
      response.writeHead(201, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

/** Values of the ${{ }} expressions the examples use. */
const EXPRESSIONS: Record<string, string> = {
  "github.token": "test-token",
  "github.event.pull_request.number": "7",
};
const expand = (value: string) =>
  value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const known = EXPRESSIONS[expression];
    if (known === undefined) throw new Error(`no value for the expression ${expression}`);
    return known;
  });

const APT_INSTALL = /^apt-get update -qq && apt-get install -y -qq --no-install-recommends (.+)$/;

interface StepRun {
  readonly step: CiStep;
  readonly outcome: "passed" | "failed" | "stand-in" | "skipped";
  readonly output?: string;
}

/**
 * Runs the steps in order, in bash with -e and pipefail as both CI systems do; after a
 * failure only the steps that always run (cleanup) still run.
 */
async function runPipeline(
  pipeline: CiPipeline,
  repo: string,
  env: Record<string, string>,
): Promise<StepRun[]> {
  const runs: StepRun[] = [];
  let failed = false;
  for (const step of pipeline.steps) {
    if (step.run === undefined) {
      runs.push({ step, outcome: "stand-in" });
      continue;
    }
    const apt = APT_INSTALL.exec(step.run.trim());
    if (apt !== null) {
      const packages = (apt[1] ?? "").split(/\s+/);
      const { stdout } = await execa("dpkg-query", ["-W", "-f=${Status}\\n", ...packages]);
      expect(stdout.split("\n")).toEqual(packages.map(() => "install ok installed"));
      runs.push({ step, outcome: "stand-in" });
      continue;
    }
    if (failed && !step.always) {
      runs.push({ step, outcome: "skipped" });
      continue;
    }
    const stepEnv = Object.fromEntries(
      Object.entries(step.env).map(([key, value]) => [key, expand(value)]),
    );
    const result = await execa(
      "bash",
      ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run],
      {
        cwd: repo,
        env: { ...pipeline.env, ...env, ...stepEnv },
        reject: false,
        all: true,
        timeout: 180_000,
      },
    );
    const ok = result.exitCode === 0;
    failed ||= !ok;
    runs.push({ step, outcome: ok ? "passed" : "failed", output: result.all ?? "" });
  }
  return runs;
}

/** The environment every CI job has here: netplan-k installed into the scratch prefix. */
const baseEnv = () => ({
  PATH: `${join(prefix, "bin")}:${process.env["PATH"] ?? ""}`,
  NPM_CONFIG_PREFIX: prefix,
  NETPLAN_K: tarball,
  CI: "true",
  NO_COLOR: "1",
});

function expectAllPassed(runs: readonly StepRun[]) {
  const failures = runs
    .filter((run) => run.outcome === "failed" || run.outcome === "skipped")
    .map((run) => `${run.step.job}: ${run.step.name}: ${run.outcome}\n${run.output ?? ""}`);
  expect(failures).toEqual([]);
}

/** The verify job's JUnit report and the apply's JSON events, checked. */
function expectReports(repo: string) {
  const report = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
    readFileSync(join(repo, "verify-junit.xml"), "utf8"),
  );
  // Three workloads: six ordered pairs, all reachable.
  expect(report.testsuites).toMatchObject({ tests: "6", failures: "0" });
  const events = readFileSync(join(repo, "apply-events.jsonl"), "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string; outcome?: string });
  for (const event of events) {
    expect(validateEvent(event), ajv.errorsText(validateEvent.errors)).toBe(true);
  }
  expect(events.at(-1)).toMatchObject({ type: "done", outcome: "applied" });
}

/** The plan of the change: the new workload, in markdown. */
function expectPlan(repo: string): string {
  const plan = readFileSync(join(repo, "plan.md"), "utf8");
  expect(plan).toContain("green");
  expect(plan).not.toContain("red");
  return plan;
}

const labs: { prefix: string; file: string }[] = [];

beforeAll(async () => {
  const pack = await execa(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch],
    { cwd: ROOT },
  );
  const [result] = JSON.parse(pack.stdout) as { filename: string }[];
  tarball = join(scratch, result?.filename ?? "");
}, 120_000);

afterAll(async () => {
  // Whatever happened, no lab of this test stays: lab down with this build.
  for (const lab of labs) await execa("node", [CLI, "lab", "down", lab.file], { reject: false });
  rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe("examples/ci", () => {
  it("github-actions.yml: lab, apply, verify with JUnit, tear down; plan as comment and summary", async () => {
    const pipeline = readGitHubActions(
      readFileSync(join(ROOT, "examples/ci/github-actions.yml"), "utf8"),
    );
    const file = pipeline.env["TOPOLOGY"] ?? "";
    const repo = await makeCheckout("github", "xfgh", file);
    labs.push(
      { prefix: "xfgh", file: join(repo, file) },
      { prefix: "xfgh", file: join(repo, "base-topology.yaml") },
    );
    const api = await startApi();
    const summary = join(scratch, "step-summary.md");
    try {
      const runs = await runPipeline(pipeline, repo, {
        ...baseEnv(),
        GITHUB_BASE_REF: "main",
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_API_URL: api.url,
        GITHUB_REPOSITORY: "acme/network",
      });
      expectAllPassed(runs);
      expect(runs.filter((run) => run.outcome === "stand-in").map((run) => run.step.name)).toEqual([
        "actions/checkout@v4",
        "Install the lab's Debian packages",
        "Show the test report",
        "Keep the apply's events",
        "actions/checkout@v4",
        "Install the lab's Debian packages",
      ]);
      expectReports(repo);
      const plan = expectPlan(repo);
      expect(readFileSync(summary, "utf8")).toBe(plan);
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0]).toMatchObject({
        method: "POST",
        url: "/repos/acme/network/issues/7/comments",
        headers: { authorization: "Bearer test-token" },
      });
      expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({ body: plan });
    } finally {
      api.server.close();
    }
    expect(namespacesWithPrefix("xfgh")).toEqual([]);
  }, 600_000);

  it("gitlab-ci.yml: the same, with the plan as a merge request note", async () => {
    const pipeline = readGitLabCi(readFileSync(join(ROOT, "examples/ci/gitlab-ci.yml"), "utf8"));
    const file = pipeline.env["TOPOLOGY"] ?? "";
    const repo = await makeCheckout("gitlab", "xfgl", file);
    labs.push(
      { prefix: "xfgl", file: join(repo, file) },
      { prefix: "xfgl", file: join(repo, "base-topology.yaml") },
    );
    const api = await startApi();
    try {
      const runs = await runPipeline(pipeline, repo, {
        ...baseEnv(),
        CI_PIPELINE_SOURCE: "merge_request_event",
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
        CI_API_V4_URL: `${api.url}/api/v4`,
        CI_PROJECT_ID: "42",
        CI_MERGE_REQUEST_IID: "7",
        REVIEW_TOKEN: "test-token",
      });
      expectAllPassed(runs);
      expect(runs.map((run) => run.step.job)).toEqual([
        ...Array(7).fill("network"),
        ...Array(9).fill("review"),
      ]);
      expectReports(repo);
      const plan = expectPlan(repo);
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0]).toMatchObject({
        method: "POST",
        url: "/api/v4/projects/42/merge_requests/7/notes",
        headers: { "private-token": "test-token" },
      });
      expect(new URLSearchParams(api.requests[0]?.body).get("body")).toBe(plan);
    } finally {
      api.server.close();
    }
    expect(namespacesWithPrefix("xfgl")).toEqual([]);
  }, 600_000);
});
