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

/**
 * Ansible as a network engineer would write it: one task per object type (in the order the
 * types first appear in the plan), each looping over the host's commands of that type;
 * shell lines (sysctls, files, services) through the shell module. No fact gathering,
 * pipelining on, as many forks as hosts. Returns the ansible-playbook argv.
 */
export function writeAnsible(plan: Plan, sshConfig: string, dir: string): string[] {
  const commands = hostCommands(plan);
  const kinds = [
    ...new Set([...commands.values()].flatMap((list) => list.map((command) => command.kind))),
  ];
  const tasks = kinds.flatMap((kind) => [
    {
      name: `${kind} objects`,
      "ansible.builtin.command": "{{ item }}",
      loop: `{{ ${kind}_commands | default([]) }}`,
    },
    {
      name: `${kind} objects (shell)`,
      "ansible.builtin.shell": "{{ item }}",
      loop: `{{ ${kind}_shell | default([]) }}`,
    },
  ]);
  writeFileSync(
    join(dir, "playbook.yml"),
    stringify([{ hosts: "all", gather_facts: false, tasks }]),
  );
  const hostVars = Object.fromEntries(
    [...commands].map(([host, list]) => [
      host,
      Object.fromEntries(
        kinds.flatMap((kind) => [
          [
            `${kind}_commands`,
            list.filter((c) => c.kind === kind && c.program !== "sh").map(remoteCommand),
          ],
          [
            `${kind}_shell`,
            list.filter((c) => c.kind === kind && c.program === "sh").map(remoteCommand),
          ],
        ]),
      ),
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
