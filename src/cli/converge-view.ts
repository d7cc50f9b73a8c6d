import type { ConvergeRunEvent } from "../applier/index.js";
import type { HostProgress } from "./per-host.js";

export type { ConvergeRunEvent } from "../applier/index.js";

/** A consumer of a run's events: how a person or a pipeline sees apply and destroy. */
export interface ConvergeView {
  /** Where the observation's per-host progress goes. */
  observeProgress(hosts: readonly string[]): HostProgress;
  show(event: ConvergeRunEvent): void;
  /** Ends live output and prints what comes last; the run is over. */
  close(): Promise<void>;
}
