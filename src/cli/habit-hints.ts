/**
 * Words people bring from Terraform, kubectl and Ansible, and netplan-k's way of saying each.
 * Commander rejects them ("unknown command 'diff'"); the hint names the verb to use instead.
 */
const PLAN_IS_THE_DRY_RUN = "`plan` is the dry run: netplan-k plan <topology> (nothing is changed)";
const DESTROY = "`destroy` removes what a topology created: netplan-k destroy <topology>";

const COMMAND_HINTS: Readonly<Record<string, string>> = {
  diff: "`plan` shows the difference between the topology and the hosts: netplan-k plan <topology>",
  "dry-run": PLAN_IS_THE_DRY_RUN,
  show: "`plan` shows what would change (-o text|json|markdown); a saved plan is its JSON file",
  check: "`validate` checks a topology file, `verify` the network: netplan-k validate <topology>",
  init: "there is nothing to initialise: write a topology (see examples/), then netplan-k validate <topology>",
  refresh: "`observe` reads what every host holds: netplan-k observe <topology>",
  get: "`observe` reads what every host holds: netplan-k observe <topology>",
  status: "`lab status` shows a lab; `plan --detailed-exitcode` exits 2 on drift",
  up: "`apply` converges the hosts; `lab up` builds a lab of namespaces",
  down: DESTROY,
  delete: DESTROY,
  remove: DESTROY,
  teardown: DESTROY,
};

const OPTION_HINTS: Readonly<Record<string, string>> = {
  "--dry-run": PLAN_IS_THE_DRY_RUN,
  "--check": PLAN_IS_THE_DRY_RUN,
  "--diff": PLAN_IS_THE_DRY_RUN,
  "--plan": PLAN_IS_THE_DRY_RUN,
  "--yes": "--auto-approve applies without asking",
  "-y": "--auto-approve applies without asking",
  "--force": "--auto-approve applies without asking",
  "--json": "-o json (plan and verify)",
};

/**
 * The hint for one of commander's error messages ("error: unknown option '--dry-run'"), or
 * undefined when the unknown word is not a known habit.
 */
export function hintForCommanderError(message: string): string | undefined {
  const command = /unknown command '([^']+)'/.exec(message)?.[1];
  if (command !== undefined) return COMMAND_HINTS[command];
  const option = /unknown option '([^'=]+)/.exec(message)?.[1];
  if (option !== undefined) return OPTION_HINTS[option];
  return undefined;
}
