#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { CliError } from "./cli-error.js";
import { runPlan, type PlanFormat } from "./commands/plan.js";
import { runSchema } from "./commands/schema.js";
import { runValidate } from "./commands/validate.js";
import { EXIT_ERROR } from "./exit-codes.js";
import { terminalOutput, type Output } from "./output.js";

const program = new Command("netplan-k")
  .description(
    "Declarative cross-host container networking. One YAML topology (hosts, underlay, a cluster " +
      "CIDR split into per-host blocks, workloads, a mode: host-gw, vxlan, ipip or bgp) is compiled " +
      "into what every host's kernel must hold, compared with what it holds, and shown as a plan.",
  )
  .option("--no-color", "never colour the output (also: NO_COLOR=1)")
  .option("--debug", "show the underlying cause of an error")
  .showHelpAfterError("(run with --help for usage)")
  .addHelpText(
    "after",
    `
Exit codes: 0 success, 1 error (invalid topology, conflict, unplannable host),
            2 changes present (plan --detailed-exitcode).

Start here:
  netplan-k validate examples/vxlan.yaml          check a topology, show each host's block
  netplan-k plan examples/vxlan.yaml --empty      what a fresh cluster needs
  netplan-k schema > topology.schema.json         for editors (or use the
                                                  # yaml-language-server: $schema= line)`,
  );

/** Runs a command body and turns its result or failure into the process's exit code. */
function action<A extends unknown[]>(
  body: (output: Output, ...args: A) => Promise<number> | number,
) {
  return async (...args: A): Promise<void> => {
    const globals = program.opts<{ color: boolean; debug?: boolean }>();
    const output = terminalOutput({ color: globals.color });
    try {
      process.exitCode = await body(output, ...args);
    } catch (error) {
      process.exitCode = EXIT_ERROR;
      if (error instanceof CliError) {
        output.err(`netplan-k: ${error.message}`);
        if (error.remedy !== undefined) output.err(`  hint: ${error.remedy}`);
        if (globals.debug === true && error.cause !== undefined)
          output.err(String((error.cause as Error).stack ?? error.cause));
      } else {
        output.err(`netplan-k: internal error: ${(error as Error).message ?? String(error)}`);
        output.err(
          globals.debug === true
            ? String((error as Error).stack)
            : "  Run again with --debug for the stack, and report it.",
        );
      }
    }
  };
}

program
  .command("validate")
  .argument("<topology>", "topology file (YAML)")
  .summary("check a topology without contacting any host")
  .description(
    "Check a topology: YAML syntax, the schema, and its meaning (overlapping blocks, addresses " +
      "outside their block, host-gw across segments, names the kernel refuses, ...). Every problem " +
      "is reported as file:line:column with what would be right. Prints each host's block.",
  )
  .action(action((output, file: string) => runValidate(file, output)));

const formats: readonly PlanFormat[] = ["text", "json", "markdown"];
program
  .command("plan")
  .argument("<topology>", "topology file (YAML)")
  .summary("show what each host must change to match the topology")
  .description(
    "Compile the topology into the state every host must hold, compare it with what the hosts " +
      "hold, and print the changes in the order they would be applied: + create, ~ change in " +
      "place, - destroy, ± recreate (disruptive). Objects netplan-k does not own are never " +
      "changed; one in the way is a conflict and fails the plan.",
  )
  .addOption(
    new Option(
      "-o, --output <format>",
      "text, json (versioned, see docs/plan-json.md) or markdown (for code review)",
    )
      .choices(formats)
      .default("text"),
  )
  .option("--out <file>", "also save the plan as JSON")
  .option(
    "--state <snapshot>",
    "plan against a snapshot made by `netplan-k observe` instead of live hosts",
  )
  .option("--empty", "plan against hosts that hold nothing yet (no host is contacted)", false)
  .option("--detailed-exitcode", "exit 2 when there are changes, 0 when there are none", false)
  .option("--limit <hosts>", "only these hosts (comma-separated names)", (value: string) => {
    if (value.trim() === "") throw new InvalidArgumentError("name at least one host");
    return value;
  })
  .addHelpText(
    "after",
    `
Examples:
  netplan-k plan topology.yaml --empty                     a fresh cluster
  netplan-k plan topology.yaml --state state.json -o markdown > plan.md
  netplan-k plan topology.yaml --state state.json --detailed-exitcode || echo drift`,
  )
  .action(
    action(
      (
        output,
        file: string,
        options: {
          output: PlanFormat;
          out?: string;
          state?: string;
          empty: boolean;
          detailedExitcode: boolean;
          limit?: string;
        },
      ) => runPlan(file, options, output),
    ),
  );

program
  .command("schema")
  .summary("print the JSON Schema of the topology format")
  .action(action((output) => runSchema(output)));

await program.parseAsync();
