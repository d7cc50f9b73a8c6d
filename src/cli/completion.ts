import type { Command, Option } from "commander";

/**
 * `netplan-k completion bash|zsh|fish`: a shell completion script generated from the
 * commander command tree, so a command or option added to main.ts completes without anyone
 * keeping a list. It takes what `--help` shows (commander's Help: visible commands and
 * options, with the implicit help command and -h/--help), and completes command names,
 * option names, the choices of options that have them (-o text|json|markdown) and file
 * names for a command's arguments.
 */

export const COMPLETION_SHELLS = ["bash", "zsh", "fish"] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** One command of the tree, flattened: its path of names below the program. */
interface CommandNode {
  readonly path: readonly string[];
  readonly summary: string;
  readonly options: readonly OptionNode[];
  readonly subcommands: readonly CommandNode[];
  /** Positional arguments: completed as file names, unless they have choices. */
  readonly takesArguments: boolean;
  /** The choices of the first argument (completion's shell), if it has any. */
  readonly argumentChoices: readonly string[];
}

interface OptionNode {
  readonly flags: readonly string[];
  readonly description: string;
  /** Undefined for a flag without a value; [] for a value of any kind. */
  readonly values?: readonly string[];
}

function describeCommand(command: Command, path: readonly string[]): CommandNode {
  const help = command.createHelp();
  return {
    path,
    summary: command.summary() || command.description().split(". ")[0] || "",
    options: help.visibleOptions(command).map(describeOption),
    subcommands: help
      .visibleCommands(command)
      .map((sub) => describeCommand(sub, [...path, sub.name()])),
    takesArguments: help.visibleArguments(command).length > 0,
    argumentChoices: help.visibleArguments(command)[0]?.argChoices ?? [],
  };
}

const describeOption = (option: Option): OptionNode => ({
  flags: [option.short, option.long].filter((flag): flag is string => flag !== undefined),
  description: option.description,
  ...((option.required || option.optional) && { values: option.argChoices ?? [] }),
});

const walk = (node: CommandNode): CommandNode[] => [node, ...node.subcommands.flatMap(walk)];

/** The completion script for `shell`, for the program named by `program.name()`. */
export function renderCompletion(program: Command, shell: CompletionShell): string {
  const root = describeCommand(program, []);
  switch (shell) {
    case "bash":
      return renderBash(program.name(), root);
    case "zsh":
      return renderZsh(program.name(), root);
    case "fish":
      return renderFish(program.name(), root);
  }
}

const functionName = (program: string, path: readonly string[]) =>
  `_${[program, ...path].join("_").replace(/[^A-Za-z0-9_]/g, "_")}`;

/** Single-quoted for every shell here: ' closes, an escaped quote, ' opens again. */
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * bash: the words before the cursor that name commands select the node; the cursor word
 * completes as an option, an option's value, a subcommand, or (nothing offered) a file name
 * through `complete -o default`.
 */
function renderBash(program: string, root: CommandNode): string {
  const name = functionName(program, []);
  const nodes = walk(root);
  const key = (path: readonly string[]) => path.join("/");
  const steps = nodes
    .filter((node) => node.path.length > 0)
    .map((node) => `      ${quote(key(node.path))}) path=${quote(key(node.path))} ;;`);
  const cases = nodes.map((node) => {
    const words = [
      ...node.argumentChoices,
      ...node.subcommands.map((sub) => sub.path.at(-1) ?? ""),
      ...node.options.flatMap((option) => option.flags),
    ];
    const valued = node.options.filter((option) => option.values !== undefined);
    const values = valued.map(
      (option) =>
        `        ${option.flags.map(quote).join("|")}) COMPREPLY=($(compgen -W ${quote((option.values ?? []).join(" "))} -- "$cur")); return ;;`,
    );
    return [
      `    ${quote(key(node.path))})`,
      ...(values.length === 0 ? [] : ['      case "$prev" in', ...values, "      esac"]),
      `      words=${quote(words.join(" "))}`,
      `      files=${node.takesArguments && node.argumentChoices.length === 0 ? 1 : 0}`,
      "      ;;",
    ].join("\n");
  });
  return `# bash completion for ${program}, generated from its commands: ${program} completion bash
${name}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path="" words="" files=0 i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${path:+$path/}\${COMP_WORDS[i]}" in
${steps.join("\n")}
    esac
  done
  case "$path" in
${cases.join("\n")}
  esac
  if [[ $cur == -* || $files == 0 ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
}
complete -o default -F ${name} ${program}
`;
}

/** zsh: one function per command node, each an _arguments spec; `*::` hands the rest down. */
function renderZsh(program: string, root: CommandNode): string {
  const escape = (text: string) => text.replace(/([[\]:\\])/g, "\\$1");
  const functions = walk(root).map((node) => {
    const options = node.options.map((option) => {
      const exclusive = option.flags.length > 1 ? `(${option.flags.join(" ")})` : "";
      const flags = option.flags.length > 1 ? `{${option.flags.join(",")}}` : option.flags[0];
      const value =
        option.values === undefined
          ? ""
          : option.values.length > 0
            ? `:value:(${option.values.join(" ")})`
            : ":value:_files";
      return `    ${quote(exclusive)}${flags}${quote(`[${escape(option.description)}]${value}`)}`;
    });
    const rest =
      node.subcommands.length > 0
        ? [`    '1: :->command'`, `    '*:: :->argument'`]
        : node.argumentChoices.length > 0
          ? [`    ${quote(`1:argument:(${node.argumentChoices.join(" ")})`)}`]
          : node.takesArguments
            ? [`    '*:file:_files'`]
            : [];
    const dispatch =
      node.subcommands.length > 0
        ? [
            "  case $state in",
            "    command)",
            "      local -a commands=(",
            ...node.subcommands.map(
              (sub) => `        ${quote(`${escape(sub.path.at(-1) ?? "")}:${sub.summary}`)}`,
            ),
            "      )",
            "      _describe command commands ;;",
            "    argument)",
            "      case $line[1] in",
            ...node.subcommands.map(
              (sub) =>
                `        ${quote(sub.path.at(-1) ?? "")}) ${functionName(program, sub.path)} ;;`,
            ),
            "      esac ;;",
            "  esac",
          ]
        : [];
    return [
      `${functionName(program, node.path)}() {`,
      "  local curcontext=$curcontext state line",
      "  _arguments -C \\",
      [...options, ...rest].join(" \\\n"),
      ...dispatch,
      "}",
    ].join("\n");
  });
  return `#compdef ${program}
# zsh completion for ${program}, generated from its commands: ${program} completion zsh
${functions.join("\n\n")}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  ${functionName(program, [])} "$@"
else
  compdef ${functionName(program, [])} ${program}
fi
`;
}

/** fish: one `complete` line per option and subcommand, conditioned on the command path. */
function renderFish(program: string, root: CommandNode): string {
  const nodes = walk(root);
  // A node is current when its path has been seen and none of its subcommands has (the
  // program itself: before any command).
  const condition = (node: CommandNode) => {
    const seen = node.path.map((name) => `__fish_seen_subcommand_from ${name}`);
    const children = node.subcommands.map((sub) => sub.path.at(-1) ?? "");
    const notYet =
      children.length > 0 ? [`not __fish_seen_subcommand_from ${children.join(" ")}`] : [];
    return [...seen, ...notYet].join("; and ");
  };
  const lines = nodes.flatMap((node) => {
    const when = condition(node);
    const only = when === "" ? "" : ` -n ${quote(when)}`;
    return [
      ...node.subcommands.map(
        (sub) =>
          `complete -c ${program}${only} -f -a ${quote(sub.path.at(-1) ?? "")} -d ${quote(sub.summary)}`,
      ),
      ...node.options.map((option) => {
        const flags = option.flags
          .map((flag) => (flag.startsWith("--") ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`))
          .join(" ");
        const value =
          option.values === undefined
            ? ""
            : option.values.length > 0
              ? ` -x -a ${quote(option.values.join(" "))}`
              : " -r -F";
        return `complete -c ${program}${only} ${flags}${value} -d ${quote(option.description)}`;
      }),
      ...(node.argumentChoices.length > 0
        ? [`complete -c ${program}${only} -f -a ${quote(node.argumentChoices.join(" "))}`]
        : node.takesArguments
          ? [`complete -c ${program}${only} -F`]
          : []),
    ];
  });
  return `# fish completion for ${program}, generated from its commands: ${program} completion fish
complete -c ${program} -f
${lines.join("\n")}
`;
}
