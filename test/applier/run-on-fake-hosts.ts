import {
  runApplyPipeline,
  type ApplyPipelineInput,
  type ApplyPipelineOutcome,
  type ConvergeRunEvent,
} from "../../src/applier/index.js";
import { compileTopology } from "../../src/modes/index.js";
import { modes } from "../../src/modes/registry.js";
import { loadTopologyFile, type Topology } from "../../src/topology/index.js";
import type { FakeTransport } from "./fake-transport.js";

/** examples/vxlan.yaml loaded: the topology the converged vxlan fixtures were recorded from. */
export async function vxlanDemo(): Promise<Topology> {
  const loaded = await loadTopologyFile("examples/vxlan.yaml", modes);
  if (!loaded.ok) throw new Error("examples/vxlan.yaml is invalid");
  return loaded.topology;
}

/** What a run of the pipeline gave, and every event it emitted, in order. */
export interface FakeHostsRun {
  readonly outcome: ApplyPipelineOutcome;
  readonly events: readonly ConvergeRunEvent[];
}

/**
 * runApplyPipeline applying examples/vxlan.yaml to `transports` (fake hosts answering from a
 * script), approved without asking; `extra` overrides or adds pipeline inputs (onFailure,
 * lock, confirmTimeout, interrupt, …); `onEvent` sees each event as it is emitted.
 */
export async function runOnFakeHosts(
  transports: readonly FakeTransport[],
  extra: Partial<ApplyPipelineInput> = {},
  onEvent: (event: ConvergeRunEvent) => void = () => undefined,
): Promise<FakeHostsRun> {
  const topology = await vxlanDemo();
  const events: ConvergeRunEvent[] = [];
  const outcome = await runApplyPipeline({
    verb: "apply",
    topology,
    transports: new Map(transports.map((t) => [t.host, t])),
    desiredOf: async () => compileTopology(topology),
    parallelism: 4,
    confirm: async () => true,
    emit: (event) => {
      events.push(event);
      onEvent(event);
    },
    ...extra,
  });
  return { outcome, events };
}
