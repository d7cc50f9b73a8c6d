import { labDown, labStatus, labUp } from "../../lab/index.js";
import { checkLabOwner, claimLab, recordPrefixOverride } from "../../lab/lab-owner.js";
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
export interface LabCommandOptions {
  /** `lab up --prefix`: the lab's prefix instead of the file's, kept for later commands. */
  readonly prefix?: string;
}

/** The lab prefix a topology may name: lower case, a letter first, at most 6 characters. */
const LAB_PREFIX = /^[a-z][a-z0-9]{0,5}$/;

export async function runLab(
  action: LabAction,
  file: string,
  output: Output,
  options: LabCommandOptions = {},
): Promise<number> {
  const loaded = await loadValidTopology(file, output);
  if (loaded === undefined) return EXIT_ERROR;
  if (options.prefix !== undefined && !LAB_PREFIX.test(options.prefix)) {
    throw new CliError(
      `--prefix ${options.prefix} is not a lab prefix`,
      "Use a lower-case letter followed by up to 5 lower-case letters or digits, such as qa1.",
    );
  }
  const topology =
    options.prefix === undefined || loaded.lab === undefined
      ? loaded
      : { ...loaded, lab: { ...loaded.lab, prefix: options.prefix } };
  const lab = labOf(topology, file);
  const onEvent = (message: string): void => output.err(`lab ${lab.prefix}: ${message}`);
  switch (action) {
    case "up": {
      // A prefix belongs to the topology that built the lab: another one's is refused.
      await checkLabOwner(topology, lab.prefix, "build");
      await claimLab(topology, lab.prefix);
      if (options.prefix !== undefined) await recordPrefixOverride(topology, options.prefix);
      const status = await labUp(topology, lab, { onEvent });
      output.out(renderLabStatus(status, file));
      return status.ready ? EXIT_OK : EXIT_ERROR;
    }
    case "down":
      await checkLabOwner(topology, lab.prefix, "remove");
      await labDown(lab.prefix, { onEvent });
      await recordPrefixOverride(topology, undefined);
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
