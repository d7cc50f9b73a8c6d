import { labDown, labStatus, labUp } from "../../lab/index.js";
import type { LabSpec, Topology } from "../../topology/topology.js";
import { CliError } from "../cli-error.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";
import { renderLabStatus } from "../render-lab-status.js";

export type LabAction = "up" | "down" | "status";

/**
 * `netplan-k lab up|down|status`: the topology's hosts built on this machine as network
 * namespaces (segments as bridges in a fabric namespace, routers between segments, an sshd per
 * host when `lab.sshd` is set). Nothing is added to this machine's own network namespace.
 */
export async function runLab(action: LabAction, file: string, output: Output): Promise<number> {
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const lab = labOf(topology, file);
  const onEvent = (message: string): void => output.err(`lab ${lab.prefix}: ${message}`);
  switch (action) {
    case "up": {
      const status = await labUp(topology, lab, { onEvent });
      output.out(renderLabStatus(status, file));
      return status.ready ? EXIT_OK : EXIT_ERROR;
    }
    case "down":
      await labDown(lab.prefix, { onEvent });
      output.out(`lab ${lab.prefix}: down, nothing left.`);
      return EXIT_OK;
    case "status": {
      const status = await labStatus(topology, lab);
      output.out(renderLabStatus(status, file));
      return status.ready ? EXIT_OK : EXIT_ERROR;
    }
  }
}

function labOf(topology: Topology, file: string): LabSpec {
  if (topology.lab === undefined) {
    throw new CliError(
      `${file} has no lab: section, so there is no lab to build`,
      "Add `lab: {}` (or lab: { sshd: true }) to build its hosts on this machine as network namespaces.",
    );
  }
  return topology.lab;
}
