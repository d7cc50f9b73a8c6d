/**
 * --on-failure: what becomes of a host whose script, BGP wait or verification failed
 * (ApplyPipelineInput.onFailure in apply-pipeline.ts). A file of its own so that the CLI can
 * list the choices in --help without loading the applier.
 */
export type OnFailure = "rollback-host" | "rollback-all" | "keep";

/** The values of --on-failure, in the order help lists them. */
export const ON_FAILURE_CHOICES = [
  "rollback-host",
  "rollback-all",
  "keep",
] as const satisfies readonly OnFailure[];
