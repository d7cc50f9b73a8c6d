#!/usr/bin/env node
// First, so that a Ctrl-C while the rest loads still reaches an apply or destroy.
import "./interruptions.js";
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { endQuietlyOnClosedPipe } from "./closed-pipe.js";
import { COMPLETION_SHELLS, renderCompletion, type CompletionShell } from "./completion.js";
import { MIN_CONFIRM_TIMEOUT_SECONDS } from "../applier/confirm-timeout.js";
import { ON_FAILURE_CHOICES } from "../applier/on-failure.js";
import { LOCK_DIR } from "../applier/host-lock-script.js";
import type { ApplyOptions } from "./commands/apply.js";
import type { GraphFormat, GraphCommandOptions } from "./commands/graph.js";
import type { LabCommandOptions } from "./commands/lab.js";
import type { ObserveOptions } from "./commands/observe.js";
import type { PlanFormat, PlanOptions } from "./commands/plan.js";
import type { UnlockOptions } from "./commands/unlock.js";
import type { DisarmOptions } from "./commands/disarm.js";
import type { VerifyOptions } from "./commands/verify.js";
import { exitCodeOfError, EXIT_OK } from "./exit-codes.js";
import { PAIR_EDGE_HOST_LIMIT } from "../graph/pair-edge-host-limit.js";
import { hintForCommanderError } from "./habit-hints.js";
import { renderJsonErrors } from "./json-errors.js";
import { debugLines, errorLines, jsonErrorOf } from "./report-error.js";
import { lineOf, terminalOutput, type Output } from "./output.js";
import { readPackageVersion } from "./package-version.js";
import { FULL_PLAN_CHANGE_LIMIT } from "../planner/full-plan-change-limit.js";

/**
 * Where one run writes: the process's streams (the binary), or strings (runCliInProcess).
 * Commander's own output (help, usage errors) goes there too.
 */
interface RunSink {
  output(color: boolean): Output;
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const processSink: RunSink = {
  output: (color) => terminalOutput({ color }),
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
};

/** The current run's sink and exit status (one run at a time: see runCliInProcess). */
let sink: RunSink = processSink;
let exitCode: number = EXIT_OK;

const program = new Command("netplan-k")
  .description(
    "Declarative cross-host container networking. One YAML topology (hosts, underlay, a cluster " +
      "CIDR split into per-host blocks, workloads, a mode: host-gw, vxlan, ipip or bgp) is compiled " +
      "into what every host's kernel must hold, compared with what it holds, and shown as a plan.",
  )
  .version(readPackageVersion())
  .option("--no-color", "never colour the output (also: NO_COLOR=1)")
  .option(
    "--debug",
    "show the underlying cause of an error, and each round trip to a host on stderr (host, phase, duration, exit status, bytes)",
  )
  // Subcommands inherit both: usage errors throw (exit code kept) instead of exiting.
  .exitOverride()
  .configureOutput({
    writeOut: (text) => sink.writeOut(text),
    writeErr: (text) => sink.writeErr(text),
    outputError: (message, write) => {
      write(message);
      const hint = hintForCommanderError(message);
      if (hint !== undefined) write(`  hint: ${hint}\n`);
    },
  })
  .showHelpAfterError("(run with --help for usage)")
  // --debug hands every command that reaches hosts a `trace` option (host-transports.ts): one
  // stderr line per round trip, written through the run's sink like every other line.
  .hook("preAction", (self, actionCommand) => {
    if (self.opts<{ debug?: boolean }>().debug === true) {
      actionCommand.setOptionValue("trace", (line: string) => sink.writeErr(lineOf(line)));
    }
  })
  .addHelpText(
    "after",
    `
Exit codes: 0 success, 1 error (invalid topology, conflict, unplannable host),
            2 changes present (plan --detailed-exitcode), 130 apply or destroy stopped
            by Ctrl-C (SIGINT), 143 by SIGTERM.

Start here:
  netplan-k validate examples/vxlan.yaml          check a topology, show each host's block
  netplan-k plan examples/vxlan.yaml --empty      what a fresh cluster needs
  netplan-k lab up examples/lab-vxlan.yaml        build a lab of namespaces on this machine
  netplan-k apply examples/lab-vxlan.yaml         converge it (asks first)
  netplan-k verify examples/lab-vxlan.yaml        ping matrix between all workloads
  netplan-k schema > topology.schema.json         for editors (or use the
                                                  # yaml-language-server: $schema= line)`,
  );

/** The command was asked for JSON (`-o json`): its options are among commander's arguments. */
const wantsJson = (args: readonly unknown[]): boolean =>
  args.some(
    (arg) =>
      typeof arg === "object" && arg !== null && (arg as { output?: unknown }).output === "json",
  );

/**
 * Runs a command body and turns its result or failure into the process's exit code. Bodies
 * import their command's module when they run: --version, --help and validate then load only
 * what they use, where loading every command at start cost each invocation ~0.4 s.
 */
function action<A extends unknown[]>(
  body: (output: Output, ...args: A) => Promise<number> | number,
) {
  return async (...args: A): Promise<void> => {
    const globals = program.opts<{ color: boolean; debug?: boolean }>();
    const output = sink.output(globals.color);
    try {
      exitCode = await body(output, ...args);
    } catch (error) {
      exitCode = exitCodeOfError(error);
      const debug = globals.debug === true;
      if (wantsJson(args)) {
        // A pipeline reads stdout: the error is there too, with a code it can rely on.
        output.out(renderJsonErrors([jsonErrorOf(error)]));
        if (debug) output.err(debugLines(error).join("\n"));
      } else {
        output.err(errorLines(error, debug).join("\n"));
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
  .addHelpText(
    "after",
    `
Exit status: 0 valid, 1 a problem (each one printed, none hidden behind the first).

Examples:
  netplan-k validate topology.yaml                  before a plan, or as a CI step
  netplan-k validate topology.yaml && netplan-k plan topology.yaml`,
  )
  .action(
    action(async (output, file: string) =>
      (await import("./commands/validate.js")).runValidate(file, output),
    ),
  );

const formats: readonly PlanFormat[] = ["text", "json", "markdown"];

const parseCount = (value: string): number => {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new InvalidArgumentError("a whole number from 1 to 1000");
  }
  return count;
};
const parseLimit = (value: string): string => {
  if (value.trim() === "") throw new InvalidArgumentError("name at least one host");
  return value;
};

/** A duration: "0", "30s", "5m", "1500ms"; a bare number is seconds. Returns milliseconds. */
const parseDuration = (value: string): number => {
  const match = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError("a duration such as 0, 30s or 5m");
  const unit = { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? "s") as "ms" | "s" | "m"];
  return Number(match[1]) * unit;
};

/** --confirm-timeout: a duration of at least MIN_CONFIRM_TIMEOUT_SECONDS, in ms. */
const parseConfirmTimeout = (value: string): number => {
  const ms = parseDuration(value);
  if (ms < MIN_CONFIRM_TIMEOUT_SECONDS * 1000) {
    throw new InvalidArgumentError(
      `at least ${MIN_CONFIRM_TIMEOUT_SECONDS}s: the confirmation comes after the build, the ` +
        "verification and a new SSH connection, and a shorter revert fires before it can " +
        "arrive; say 30s or 2m",
    );
  }
  return ms;
};

/** plan's, apply's and destroy's override of the management-path guard. */
const ALLOW_MANAGEMENT_CHANGE_FLAG = "--allow-management-change";
const ALLOW_MANAGEMENT_CHANGE_HELP =
  "plan changes to the path of a host's SSH session (its address, its device, the route to " +
  "this machine) instead of refusing them";
const CONFIRM_TIMEOUT_FLAG = "--confirm-timeout <duration>";
const CONFIRM_TIMEOUT_HELP =
  "arm a revert on each host before changing it (30s, 2m): unless this run confirms it over a " +
  "new connection after verifying the host, the host puts back what it held when the time runs out";

/** apply's and destroy's lock and interruption options, and what their help says about them. */
function withSafetyOptions(command: Command): Command {
  return command
    .option(
      ALLOW_MANAGEMENT_CHANGE_FLAG,
      `${ALLOW_MANAGEMENT_CHANGE_HELP}; needs --confirm-timeout`,
      false,
    )
    .option(CONFIRM_TIMEOUT_FLAG, CONFIRM_TIMEOUT_HELP, parseConfirmTimeout)
    .hook("preAction", (self) => {
      const options = self.opts<{ allowManagementChange?: boolean; confirmTimeout?: number }>();
      if (options.allowManagementChange === true && options.confirmTimeout === undefined) {
        self.error(
          "error: --allow-management-change needs --confirm-timeout (say --confirm-timeout 60s): " +
            "a change to a host's SSH session path may cut the connection, and only the revert " +
            "armed on the host then puts it back",
        );
      }
    })
    .option(
      "--lock-timeout <duration>",
      "wait this long (30s, 5m) for a host locked by another run, retrying with backoff; 0 fails at once",
      parseDuration,
      0,
    )
    .addHelpText(
      "after",
      `
Safety: each host is locked (/run/netplan-k/lock on the host) from the observation to the
verification, in the scripts the run sends anyway; a second run fails at once with
"<host> is locked by <user>@<controller> (pid …) since <time>", or waits --lock-timeout.
A lock left by a killed run is broken by the next run: at once when that run was a process
of this machine that no longer exists, otherwise once its lease runs out (30 s after the
observation, 5 min after each later script). plan takes no lock.
Management path: a host reached over SSH reports its session's path in the observation
(the client's address and its own, the device, source and gateway towards the client). A
plan that would remove that address, cover the client with a longer route or a block, or
delete, recreate, set down or re-MTU that device is refused for that host (plan too).
--allow-management-change plans it anyway, and needs --confirm-timeout.
Confirm or revert: with --confirm-timeout 60s, each changing host gets a revert armed before
its first change (/run/netplan-k/revert on the host, a detached timer): after verifying the
host, the run confirms it over a new connection; a host it cannot reach puts back what it
held when the time runs out, with no controller. A revert left armed (a killed run) is named
by plan and apply, which refuse that host until it fires or "netplan-k disarm" disarms it.
Ctrl-C (SIGINT) or SIGTERM: the scripts already sent finish, no new phase starts, the
locks are released and each host's state is printed; run the command again to finish.
A second Ctrl-C exits at once.`,
    );
}

/** Options of every command that contacts hosts; `--limit` where working on a subset makes sense. */
function withHostOptions(command: Command, limit = true): Command {
  if (limit)
    command.option("--limit <hosts>", "only these hosts (comma-separated names)", parseLimit);
  return command
    .option(
      "--parallelism <n>",
      "hosts worked on at once, each over an ssh connection of its own; through a jump host " +
        "they all reach one sshd, whose default MaxStartups (10:30:100) refuses connections " +
        "at random past 10 unauthenticated at once",
      parseCount,
      10,
    )
    .option("--ssh-config <file>", "an ssh_config file to use instead of ~/.ssh/config")
    .option(
      "--accept-new-host-keys",
      "record the host key of a host seen for the first time (keys that changed are still refused)",
      false,
    );
}

/** What plan, apply and destroy count, said once for the three. */
const COUNTING = `Counting: a change is one line of the plan, one object created (+), changed in place (~),
recreated (±) or removed (-). "Plan: 2 to add, 1 to change, 0 to destroy on 1 host." and
"Apply complete: 3 changes on 1 host" (or "Destroy complete: …") count the same changes, on
the hosts that have any; every host in the topology is verified. While a host is built, its
line counts the commands of its script ("building (5 commands)"): one change may take more.`;

withHostOptions(
  program
    .command("plan")
    .argument("<topology>", "topology file (YAML)")
    .summary("show what each host must change to match the topology")
    .description(
      "Observe every host (one round trip each), compare what it holds with what the topology " +
        "asks for, and print the changes in the order they would be applied: + create, ~ change in " +
        "place, - destroy, ± recreate (disruptive). Objects netplan-k does not own are never " +
        "changed; one in the way is a conflict and fails the plan. A host taken out of the " +
        "topology keeps what netplan-k built on it: the plan warns (!) when the remaining hosts " +
        "still hold paths to it (run destroy --limit HOST before removing a host). Nothing is changed.",
    )
    .addOption(
      new Option(
        "-o, --output <format>",
        "text, json (versioned, see docs/plan-json.md) or markdown (for code review)",
      )
        .choices(formats)
        .default("text"),
    )
    .option(
      "--out <file>",
      "also save the plan as JSON, for `netplan-k apply <file>`; a plan that cannot be applied " +
        "(a conflict, or a host that cannot be planned) is not saved, and exits 1",
    )
    .option(
      "--state <snapshot>",
      "plan against a snapshot made by `netplan-k observe` instead of live hosts",
    )
    .option("--empty", "plan against hosts that hold nothing yet (no host is contacted)", false)
    .option("--detailed-exitcode", "exit 2 when there are changes, 0 when there are none", false)
    .option(ALLOW_MANAGEMENT_CHANGE_FLAG, ALLOW_MANAGEMENT_CHANGE_HELP, false)
    .option(
      "--full",
      `text: list every change even when the plan has more than ${FULL_PLAN_CHANGE_LIMIT} (then it shows one line ` +
        "of counts per host by default); json is always complete, markdown down to GitHub's comment limit",
      false,
    )
    .option(
      "--graph",
      "with -o markdown: open with a mermaid picture of the topology, new, changed and removed " +
        "paths marked (see `netplan-k graph --help` for how big clusters are drawn)",
      false,
    ),
)
  .addHelpText(
    "after",
    `
Examples:
  netplan-k plan topology.yaml                              against the live hosts
  netplan-k plan topology.yaml --out plan.json              save it; apply exactly it later
  netplan-k plan topology.yaml --empty -o markdown > plan.md   for review, no host contacted
  netplan-k plan topology.yaml -o markdown --graph          the same, with a picture of what changes
  netplan-k observe topology.yaml > state.json && netplan-k plan topology.yaml --state state.json
  netplan-k plan topology.yaml --detailed-exitcode || echo "drift (2) or error (1)"

${COUNTING}`,
  )
  .action(
    action(async (output, file: string, options: PlanOptions) =>
      (await import("./commands/plan.js")).runPlan(file, options, output),
    ),
  );

withHostOptions(
  program
    .command("observe")
    .argument("<topology>", "topology file (YAML)")
    .summary("print what every host holds now, as JSON (a snapshot for plan --state)")
    .description(
      "Observe every host in one round trip each (links, addresses, routes, neighbours, fdb, " +
        "namespaces, sysctls, BIRD, kernel capabilities) and print it as a snapshot. " +
        "Unreachable hosts are named on stderr and exit 1; the others are still printed.",
    )
    .addHelpText(
      "after",
      `
Examples:
  netplan-k observe topology.yaml > state.json          keep what the hosts hold now
  netplan-k plan topology.yaml --state state.json       plan against it, offline
  netplan-k observe topology.yaml | jq '.hosts[].host'  the hosts that answered`,
    ),
).action(
  action(async (output, file: string, options: ObserveOptions) =>
    (await import("./commands/observe.js")).runObserve(file, options, output),
  ),
);

/** apply's and destroy's -o: text for a person, or JSON lines for a pipeline. */
const eventsOutputOption = (needs: string) =>
  new Option(
    "-o, --output <format>",
    "text, or json: one JSON object per line per event (docs/events-json.md); " + `needs ${needs}`,
  )
    .choices(["text", "json"])
    .default("text");

withSafetyOptions(
  withHostOptions(
    program
      .command("apply")
      .argument("<target>", "topology file (YAML), or a plan saved with plan --out (JSON)")
      .summary("make every host match the topology")
      .description(
        "Observe, show the plan, ask, then apply each host's creates and updates as one batch " +
          "script in one round trip (its removals, if any, in a second), and observe again: every " +
          "host must now match, or the command names what did " +
          "not converge and exits 1. With a saved plan, exactly that plan is applied, and refused " +
          "when any host changed since it was made. Hosts that already match are only observed.",
      )
      .option(
        "--auto-approve",
        "apply a topology without asking (required when there is no terminal); a saved plan is never asked about",
        false,
      )
      .addOption(
        new Option(
          "--on-failure <what>",
          "when a host's script or verification fails: rollback-host puts that host back as it " +
            "was observed before this run and proves it; rollback-all also every other host this " +
            "run changed; keep leaves it as it failed, for debugging",
        )
          .choices(ON_FAILURE_CHOICES)
          .default("rollback-host"),
      )
      .addOption(eventsOutputOption("--auto-approve or a saved plan")),
  ),
)
  .addHelpText(
    "after",
    `
${COUNTING}

On failure, only what netplan-k owns (or adopted) is put back; foreign objects are never
touched. The report names the failing host, the command and the kernel's answer, and says
"rolled back", "kept as it failed" or "rollback incomplete" (with what still differs); the
exit status is 1 either way. Once any host has failed before the remove phase, no host
removes anything (the failed host's old paths may still use its peers' old objects): each
host that was to remove stays built and is reported "removals held"; rollback-all puts it
back too, and the next apply finishes it. destroy never rolls back: what it removed was to go
anyway, so it reports where each host stands and is run again.

A saved plan (plan --out) was reviewed when it was made: apply runs it without asking and
without --auto-approve, and refuses it when the topology file or any host changed since, or
when it holds conflicts or errors (plan --out does not save such a plan).

Examples:
  netplan-k apply topology.yaml                        show the plan, ask, apply, verify
  netplan-k apply topology.yaml --auto-approve         in CI
  netplan-k plan topology.yaml --out plan.json && netplan-k apply plan.json`,
  )
  .action(
    action(async (output, target: string, options: ApplyOptions) =>
      (await import("./commands/apply.js")).runApply(target, options, output),
    ),
  );

withSafetyOptions(
  withHostOptions(
    program
      .command("destroy")
      .argument("<topology>", "topology file (YAML)")
      .summary("remove everything this topology created, and nothing else")
      .description(
        "Plan the removal of every object that carries this topology's marker (links, routes, " +
          "namespaces, neighbours, fdb entries, BIRD's configuration), ask, apply, and verify " +
          "that none is left. Objects of other topologies or of nobody are never touched; " +
          "net.ipv4.ip_forward is left as it is. Running it again finds nothing to do.",
      )
      .option(
        "--auto-approve",
        "destroy without asking (required when there is no terminal)",
        false,
      )
      .addOption(eventsOutputOption("--auto-approve")),
  ),
)
  .addHelpText("after", `\n${COUNTING}`)
  .action(
    action(async (output, file: string, options: ApplyOptions) =>
      (await import("./commands/apply.js")).runDestroy(file, options, output),
    ),
  );

withHostOptions(
  program
    .command("unlock")
    .argument("<topology>", "topology file (YAML)")
    .option(
      "--limit <hosts>",
      "only these hosts (comma-separated names; default every host, required with --force)",
      parseLimit,
    )
    .summary("show who holds each host's lock, and remove it when stale or forced")
    .description(
      "Show the lock apply and destroy hold on each host (every host of the topology, or those " +
        "--limit names): who, which run, since when, until when its lease runs. Remove it when " +
        "it is stale: its lease ran out, or its owner was a process of this machine that no " +
        "longer exists. A lock of a live run stays (exit 1) unless --force is given, which " +
        "needs --limit. Nothing else on the host changes.",
    )
    .option(
      "--force",
      "remove the lock even though its run may be alive (only the lock shown: a newer one stays; needs --limit)",
      false,
    ),
  false,
)
  .addHelpText(
    "after",
    `
What a lock is: apply and destroy each take a lock on every host they change, a directory
${LOCK_DIR} on the host holding an owner file (user, machine, pid, run id, verb, and a
lease), so that two runs never change one host at once; a second run fails on the lock and
changes nothing there. plan and observe take none. The run removes its locks when it ends.

When one is left: the run was killed (kill -9, a crashed machine) or lost the host before it
could remove it. apply and destroy break such locks by themselves (at once when the run that
left one was a process of this machine, otherwise once its lease runs out: 30 s after an
observation, 5 min after a build or remove script), so you rarely need this command. Use it
to see who holds a host ("node-1: locked by …"), and --force only when you know that run is
gone for good (its machine crashed, or it lost the host) and you cannot wait for its lease.
Forcing the lock of a run that is still working lets two runs interleave on the host.

Examples:
  netplan-k unlock topology.yaml                           every host: who holds it; remove stale locks
  netplan-k unlock topology.yaml --limit node-1            node-1 only
  netplan-k unlock topology.yaml --limit node-1 --force    remove node-1's lock whoever holds it`,
  )
  .action(
    action(async (output, file: string, options: UnlockOptions) =>
      (await import("./commands/unlock.js")).runUnlock(file, options, output),
    ),
  );

withHostOptions(
  program
    .command("disarm")
    .argument("<topology>", "topology file (YAML)")
    .requiredOption(
      "--limit <hosts>",
      "the hosts whose armed revert to disarm (comma-separated names; required)",
      parseLimit,
    )
    .summary("disarm the confirm-timeout revert armed on a host")
    .description(
      "Disarm the revert that apply --confirm-timeout armed on each host named by --limit, " +
        "whoever armed it (a run killed before it confirmed), and say whose it was. The host " +
        "then keeps what it holds now; nothing else changes.",
    ),
  false,
)
  .addHelpText(
    "after",
    `
When to use it: when plan or apply names a host with a revert armed by a run that is gone,
and the host holds what you want (otherwise wait: the revert puts back what that run
changed when its time runs out).

Example:
  netplan-k disarm topology.yaml --limit node-1`,
  )
  .action(
    action(async (output, file: string, options: DisarmOptions) =>
      (await import("./commands/disarm.js")).runDisarm(file, options, output),
    ),
  );

withHostOptions(
  program
    .command("verify")
    .argument("<topology>", "topology file (YAML)")
    .summary("prove with packets that every workload reaches every other")
    .description(
      "From inside every workload namespace, ping every other workload (one round trip per " +
        "host, one more to read the addresses live hosts hold when the topology leaves any to " +
        "allocation), print the reachability matrix and, in mode bgp, every BGP session's state. " +
        "Exit 1 when any path or session is down.",
    )
    .option("-o, --output <format>", "text or json", "text")
    .option("--junit <file>", "also write the result as a JUnit XML report (for CI)")
    .addHelpText(
      "after",
      `
Examples:
  netplan-k verify topology.yaml                          after apply, or any time
  netplan-k verify topology.yaml --junit verify.xml       one test case per pair, for CI
  netplan-k verify topology.yaml -o json | jq '.hosts[].paths[]? | select(.ok | not)'   broken paths`,
    ),
  false,
).action(
  action(async (output, file: string, options: VerifyOptions) =>
    (await import("./commands/verify.js")).runVerify(file, options, output),
  ),
);

const graphFormats: readonly GraphFormat[] = ["mermaid", "dot", "svg"];

withHostOptions(
  program
    .command("graph")
    .argument("<topology>", "topology file (YAML)")
    .summary("draw the topology: segments, hosts, routers, and the path between every two hosts")
    .description(
      "Draw the topology: hosts grouped by underlay segment, each with its block and workloads, " +
        "the lab routers between segments, and per host pair the path traffic takes as the " +
        "compiled state says: direct (host-gw route), vxlan, ipip, or bgp (learned from the peer, " +
        "or via the route reflectors). No host is contacted, except with --live.",
    )
    .addOption(
      new Option("-o, --output <format>", "mermaid (GitHub renders it), dot (Graphviz) or svg")
        .choices(graphFormats)
        .default("mermaid"),
    )
    .option("--out <file>", "write the graph to a file instead of stdout")
    .option(
      "--live",
      "run verify's reachability check first and colour what it found: pairs whose workloads " +
        "all reach each other green, pairs with a failing path red (exit 1 then)",
      false,
    ),
  false,
)
  .addHelpText(
    "after",
    `
Edges: up to ${PAIR_EDGE_HOST_LIMIT} hosts, one edge per host pair, labelled with its path. Past ${PAIR_EDGE_HOST_LIMIT} hosts a full
mesh is unreadable: one edge per pair of segments instead, labelled with how many host pairs
take each path, and each segment's title counts the pairs inside it.
Lines: solid direct, dotted or dashed a tunnel (vxlan, ipip), thick bgp.

Examples:
  netplan-k graph topology.yaml                          mermaid, for a README or a PR
  netplan-k graph topology.yaml -o svg --out topology.svg
  netplan-k graph topology.yaml -o dot | dot -Tpng > topology.png
  netplan-k graph topology.yaml --live -o svg --out reachability.svg`,
  )
  .action(
    action(async (output, file: string, options: GraphCommandOptions) =>
      (await import("./commands/graph.js")).runGraph(file, options, output),
    ),
  );

const lab = program
  .command("lab")
  .summary("build a topology's hosts on this machine as network namespaces")
  .description(
    "For a topology with a lab: section: each host becomes a network namespace with its own " +
      "/run (so its workloads' names do not collide with another host's), underlay segments " +
      "become bridges in a fabric namespace, lab.routers join segments, and with lab.sshd an " +
      "sshd runs in every host. Commands on a lab topology reach its hosts through the lab. " +
      "Nothing is added to this machine's own network namespace.",
  );
for (const [name, summary, description] of [
  [
    "up",
    "build the lab (running it again repairs what is missing)",
    "Build the lab: a network namespace <prefix>-<host> per host, a fabric namespace with a " +
      "bridge per underlay segment, lab.routers, and with lab.sshd an sshd in every host and an " +
      "ssh_config under /run/netplan-k/lab/<prefix>/. Running it again repairs what is missing. " +
      "It builds the hosts, not the cluster: run apply next.",
  ],
  [
    "down",
    "remove everything the lab built",
    "Remove everything the lab built: every namespace <prefix>-* that carries the lab's " +
      "marker, with the workloads and processes in it (sshd, BIRD, QEMU guests), then its " +
      "record under /run/netplan-k/lab/<prefix>/. A namespace with the prefix but without the " +
      "marker is someone else's and stays. Running it on a lab already gone does nothing.",
  ],
  [
    "status",
    "show what of the lab exists (exit 1 when it is not ready)",
    "Show each part of the lab (fabric, routers, hosts and their sshd) and whether it exists, " +
      "and how to reach a host: the ssh command with lab.sshd, else the nsenter command. Exit " +
      "0 when the lab is ready, 1 when a part is missing (lab up repairs it).",
  ],
] as const) {
  const command = lab
    .command(name)
    .argument("<topology>", "topology file (YAML) with a lab: section")
    .summary(summary)
    .description(description)
    .action(
      action(async (output, file: string, options: LabCommandOptions) =>
        (await import("./commands/lab.js")).runLab(name, file, output, options),
      ),
    );
  if (name === "up") {
    command
      .option(
        "--prefix <prefix>",
        "build the lab under this prefix instead of the file's lab.prefix; later commands on the file use it until lab down",
      )
      .addHelpText(
        "after",
        `
A lab prefix belongs to the topology that built it (its file's path and name, recorded in
/run/netplan-k/lab/<prefix>/owner): lab up and lab down of another topology under that
prefix are refused, so two files (two people following the README, or a file that leaves
out lab.prefix, whose default is nk) never share or remove each other's lab.`,
      );
  }
}

program
  .command("schema")
  .summary("print the JSON Schema of the topology format")
  .description(
    "Print the JSON Schema (draft 2020-12) of the topology format, the same as the repository's " +
      "schemas/topology.schema.json. Editors with the YAML language server use it to complete and " +
      "check a topology as you type: put `# yaml-language-server: $schema=<path to the file>` on " +
      "the topology's first line.",
  )
  .addHelpText(
    "after",
    `
Examples:
  netplan-k schema > topology.schema.json
  netplan-k schema | jq '."$defs".Mode'      the modes and what each one means`,
  )
  .action(action(async (output) => (await import("./commands/schema.js")).runSchema(output)));

program
  .command("completion")
  .addArgument(new Argument("<shell>", "the shell to complete in").choices(COMPLETION_SHELLS))
  .summary("print shell completion for bash, zsh or fish")
  .description(
    "Print a completion script for netplan-k's commands and options. bash: add " +
      "`source <(netplan-k completion bash)` to ~/.bashrc; zsh: `netplan-k completion zsh > " +
      '"${fpath[1]}/_netplan-k"`; fish: `netplan-k completion fish > ' +
      "~/.config/fish/completions/netplan-k.fish`.",
  )
  .action(
    action((output, shell: CompletionShell) => {
      output.out(renderCompletion(program, shell));
      return EXIT_OK;
    }),
  );

/** Parses `args` (without "node main.js") and runs the command; returns the exit status. */
async function run(args: readonly string[], runSink: RunSink): Promise<number> {
  sink = runSink;
  exitCode = EXIT_OK;
  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (error) {
    // --help, --version and usage errors, already printed by commander.
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  } finally {
    sink = processSink;
  }
  return exitCode;
}

/** What one in-process run printed, and its exit status. */
export interface CliRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs netplan-k with `args` inside this process, as the binary runs without a terminal and
 * without colour, and gives back what it printed and its exit status; the process's own
 * streams and exit code are left alone. Runs queue behind one another (the program is one
 * object). For tests of parsing and rendering: a command that ends the process itself (an
 * interrupted apply) still does.
 */
export function runCliInProcess(args: readonly string[]): Promise<CliRunResult> {
  let stdout = "";
  let stderr = "";
  const capture: RunSink = {
    output: () => ({
      color: false,
      interactive: false,
      out: (text) => (stdout += lineOf(text)),
      err: (text) => (stderr += lineOf(text)),
    }),
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
  };
  const result = queue.then(async () => ({ exitCode: await run(args, capture), stdout, stderr }));
  queue = result.catch(() => undefined);
  return result;
}

/** This module is the program node started (dist/cli/main.js, or the npm bin link to it). */
const isEntryPoint = (): boolean =>
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));

if (isEntryPoint()) {
  endQuietlyOnClosedPipe();
  process.exitCode = await run(process.argv.slice(2), processSink);
}
