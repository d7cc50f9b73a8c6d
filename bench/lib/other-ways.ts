import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { applySteps, renderStepsScript, stepCommand } from "../../src/applier/apply-script.js";
import type { Plan } from "../../src/planner/plan.js";

/**
 * The same work as netplan-k's apply, done three other ways (issue 8). Every way runs exactly
 * the commands of netplan-k's own apply script for the plan (applySteps), so the kernel ends
 * up the same and only the way of getting the commands there differs.
 */

/** One command as a person would type it on the host: "ip -n w1 link set eth0 up". */
export interface HostCommand {
  readonly kind: string;
  /** "ip", "ip -n w1", "bridge", or "sh" for a shell line. */
  readonly program: string;
  readonly line: string;
}

/** Every host's commands, in plan order. */
export function hostCommands(plan: Plan): Map<string, HostCommand[]> {
  return new Map(
    plan.hosts.map((host) => [
      host.host,
      applySteps(host.changes).flatMap((step) =>
        step.lines.map((line) => ({
          kind: host.changes[line.change]?.kind ?? "other",
          program: step.executor === "sh" ? "sh" : stepCommand(step).replace(/ -batch$/, ""),
          line: line.text,
        })),
      ),
    ]),
  );
}

const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

const remoteCommand = (command: HostCommand): string =>
  command.program === "sh" ? command.line : `${command.program} ${command.line}`;

/**
 * The floor: one connection per host piping netplan-k's apply script (sh -s, the batches in
 * it), every host at once. Writes the scripts and a driver; returns the driver's argv.
 */
export function writeFloor(plan: Plan, sshConfig: string, dir: string): string[] {
  const lines = ["#!/bin/bash", "set -u", "status=0", "pids=()"];
  for (const host of plan.hosts) {
    const script = join(dir, `floor-${host.host}.sh`);
    writeFileSync(script, renderStepsScript(applySteps(host.changes)));
    lines.push(
      `ssh -F ${quote(sshConfig)} ${host.host} sh -s < ${quote(script)} > /dev/null & pids+=($!)`,
    );
  }
  lines.push('for pid in "${pids[@]}"; do wait "$pid" || status=1; done', "exit $status");
  const driver = join(dir, "floor.sh");
  writeFileSync(driver, `${lines.join("\n")}\n`);
  return ["bash", driver];
}

/**
 * A naive script: one ssh per command, no connection sharing, commands of a host one after
 * the other; hosts in parallel (a generous naive script: a plain loop would be N times slower).
 */
export function writeNaive(plan: Plan, sshConfig: string, dir: string): string[] {
  const lines = ["#!/bin/bash", "set -u", "status=0", "pids=()"];
  const ssh = `ssh -F ${quote(sshConfig)} -o ControlMaster=no -o ControlPath=none`;
  for (const [host, commands] of hostCommands(plan)) {
    lines.push("(", "  set -e");
    for (const command of commands) {
      lines.push(`  ${ssh} ${host} ${quote(remoteCommand(command))}`);
    }
    lines.push(") & pids+=($!)");
  }
  lines.push('for pid in "${pids[@]}"; do wait "$pid" || status=1; done', "exit $status");
  const driver = join(dir, "naive.sh");
  writeFileSync(driver, `${lines.join("\n")}\n`);
  return ["bash", driver];
}

/** A run of consecutive commands of one object type and one module: one Ansible task. */
interface TaskSegment {
  readonly kind: string;
  readonly module: "command" | "shell";
  readonly commands: readonly string[];
}

const moduleOf = (command: HostCommand): TaskSegment["module"] =>
  command.program === "sh" ? "shell" : "command";

/** A host's commands cut wherever the object type or the module changes, in plan order. */
function taskSegments(commands: readonly HostCommand[]): TaskSegment[] {
  const segments: { kind: string; module: TaskSegment["module"]; commands: string[] }[] = [];
  for (const command of commands) {
    const last = segments.at(-1);
    if (last !== undefined && last.kind === command.kind && last.module === moduleOf(command)) {
      last.commands.push(remoteCommand(command));
    } else {
      segments.push({
        kind: command.kind,
        module: moduleOf(command),
        commands: [remoteCommand(command)],
      });
    }
  }
  return segments;
}

/**
 * Ansible as a network engineer would write it: one task per object type, each looping over
 * the host's commands of that type, in the plan's order; where a type's commands need the
 * shell (sysctls, files, services, a conditional delete) between others of the same type,
 * the type takes one task per run, so no command moves before one it depends on (a first
 * version grouped the shell lines after the others and deleted the veths it had just made).
 * No fact gathering, pipelining on, as many forks as hosts. Every host must have the same
 * sequence of tasks (true of a cold plan of a generated topology); throws otherwise.
 * Returns the ansible-playbook argv.
 */
export function writeAnsible(plan: Plan, sshConfig: string, dir: string): string[] {
  const segmentsByHost = new Map(
    [...hostCommands(plan)].map(([host, commands]) => [host, taskSegments(commands)] as const),
  );
  const shape = (segments: readonly TaskSegment[]) =>
    segments.map((segment) => `${segment.kind}/${segment.module}`).join(" ");
  const [first] = segmentsByHost.values();
  for (const [host, segments] of segmentsByHost) {
    if (shape(segments) !== shape(first ?? [])) {
      throw new Error(
        `${host}: its commands do not follow the first host's task sequence, which one playbook needs: ` +
          `${shape(segments)} against ${shape(first ?? [])}`,
      );
    }
  }
  const tasks = (first ?? []).map((segment, index) => ({
    name: `${segment.kind} objects${segment.module === "shell" ? " (shell)" : ""}`,
    [`ansible.builtin.${segment.module}`]: "{{ item }}",
    loop: `{{ task_${index} }}`,
  }));
  writeFileSync(
    join(dir, "playbook.yml"),
    stringify([{ hosts: "all", gather_facts: false, tasks }]),
  );
  const hostVars = Object.fromEntries(
    [...segmentsByHost].map(([host, segments]) => [
      host,
      Object.fromEntries(segments.map((segment, index) => [`task_${index}`, segment.commands])),
    ]),
  );
  writeFileSync(
    join(dir, "inventory.yml"),
    stringify({
      all: {
        vars: {
          ansible_user: "root",
          ansible_python_interpreter: "/usr/bin/python3",
          ansible_ssh_common_args: `-F ${sshConfig}`,
        },
        hosts: hostVars,
      },
    }),
  );
  writeFileSync(
    join(dir, "ansible.cfg"),
    [
      "[defaults]",
      `forks = ${Math.max(1, plan.hosts.length)}`,
      "host_key_checking = False",
      "[ssh_connection]",
      "pipelining = True",
      "",
    ].join("\n"),
  );
  return ["ansible-playbook", "-i", join(dir, "inventory.yml"), join(dir, "playbook.yml")];
}
