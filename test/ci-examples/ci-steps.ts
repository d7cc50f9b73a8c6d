import { parse } from "yaml";

/**
 * The commands of a CI example in the order the CI system runs them, read from its YAML:
 * GitHub Actions jobs in file order, each job's steps (a step that `uses:` an action is kept,
 * to be skipped by name); GitLab CI jobs in stage order, each job's before_script (its own or
 * the default one), script and after_script.
 */

export interface CiStep {
  readonly job: string;
  /** The step's name, or its command's first line. */
  readonly name: string;
  /** The shell command; undefined for a step that uses an action. */
  readonly run?: string;
  readonly uses?: string;
  /** The step's own environment, values as written (they may hold ${{ }} expressions). */
  readonly env: Readonly<Record<string, string>>;
  /** Runs even when an earlier step failed (if: always(), after_script). */
  readonly always: boolean;
}

export interface CiPipeline {
  /** The pipeline's own variables (env:, variables:). */
  readonly env: Readonly<Record<string, string>>;
  readonly steps: readonly CiStep[];
}

interface GitHubStep {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}
interface GitHubWorkflow {
  env?: Record<string, string>;
  jobs: Record<string, { steps: GitHubStep[] }>;
}

export function readGitHubActions(text: string): CiPipeline {
  const workflow = parse(text) as GitHubWorkflow;
  const steps = Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
    steps.map((step): CiStep => ({
      job,
      name: step.name ?? step.uses ?? firstLine(step.run ?? ""),
      ...(step.run !== undefined && { run: step.run }),
      ...(step.uses !== undefined && { uses: step.uses }),
      env: step.env ?? {},
      always: step.if === "always()",
    })),
  );
  return { env: workflow.env ?? {}, steps };
}

type GitLabScript = string | string[];
interface GitLabJob {
  stage?: string;
  before_script?: GitLabScript;
  script: GitLabScript;
  after_script?: GitLabScript;
}

/** Top-level keys of .gitlab-ci.yml that are not jobs. */
const GITLAB_KEYWORDS = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
]);

export function readGitLabCi(text: string): CiPipeline {
  const file = parse(text) as Record<string, unknown> & {
    variables?: Record<string, string>;
    stages?: string[];
    default?: { before_script?: GitLabScript; after_script?: GitLabScript };
  };
  const stages = file.stages ?? ["build", "test", "deploy"];
  const jobs = Object.entries(file)
    .filter(([key]) => !GITLAB_KEYWORDS.has(key) && !key.startsWith("."))
    .map(([name, job]) => [name, job as GitLabJob] as const)
    .sort(([, a], [, b]) => stages.indexOf(a.stage ?? "test") - stages.indexOf(b.stage ?? "test"));
  const lines = (script: GitLabScript | undefined) =>
    script === undefined ? [] : Array.isArray(script) ? script : [script];
  const steps = jobs.flatMap(([job, spec]) => [
    ...[...lines(spec.before_script ?? file.default?.before_script), ...lines(spec.script)].map(
      (run): CiStep => ({ job, name: firstLine(run), run, env: {}, always: false }),
    ),
    ...lines(spec.after_script ?? file.default?.after_script).map((run): CiStep => ({
      job,
      name: firstLine(run),
      run,
      env: {},
      always: true,
    })),
  ]);
  return { env: file.variables ?? {}, steps };
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";
