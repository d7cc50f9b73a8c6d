import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

/**
 * The completion scripts, run in the real shells (bash, zsh and fish from Debian, see
 * scripts/install-deps.sh). The commands expected are read from `netplan-k --help`, not from
 * the tree the scripts are generated from, so a command the scripts miss fails here.
 */

const scratch = mkdtempSync(join(tmpdir(), "xf-completion-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The names under "Commands:" in a help text (the section ends at a blank line). */
const commandsOf = (help: string): string[] =>
  (help.split("Commands:\n")[1] ?? "")
    .split("\n\n")[0]
    ?.split("\n")
    .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined) ?? [];

const scripts: Record<string, string> = {};
let topCommands: string[] = [];
let labCommands: string[] = [];
// Each run of the CLI starts node: run them at once, and give a busy machine time.
beforeAll(async () => {
  const shells = ["bash", "zsh", "fish"];
  const [help, labHelp, ...completions] = await Promise.all([
    runCli(["--help"]),
    runCli(["lab", "--help"]),
    ...shells.map((shell) => runCli(["completion", shell])),
  ]);
  shells.forEach((shell, index) => {
    const run = completions[index];
    expect(run?.exitCode).toBe(0);
    scripts[shell] = join(scratch, `netplan-k.${shell}`);
    writeFileSync(scripts[shell], run?.stdout ?? "");
  });
  topCommands = commandsOf(help?.stdout ?? "");
  labCommands = commandsOf(labHelp?.stdout ?? "");
}, 60_000);

/** What bash offers for the words typed, the last one being the one completed. */
async function bashCompletes(words: readonly string[]): Promise<string[]> {
  const array = ["netplan-k", ...words].map((word) => `'${word}'`).join(" ");
  const { stdout } = await execa("bash", [
    "-c",
    `source '${scripts["bash"]}'
     COMP_WORDS=(${array}); COMP_CWORD=${words.length}
     $(complete -p netplan-k | sed -E 's/.* -F ([^ ]+) .*/\\1/')
     printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  return stdout.split("\n").filter((line) => line !== "");
}

describe("completion bash", () => {
  it("registers a completion function for netplan-k", async () => {
    const { stdout } = await execa("bash", [
      "-c",
      `source '${scripts["bash"]}' && complete -p netplan-k`,
    ]);
    expect(stdout).toMatch(/^complete -o default -F _netplan_k netplan-k$/);
  });

  it("offers every command of --help, and each command's options", async () => {
    expect(topCommands).toEqual(expect.arrayContaining(["plan", "apply", "lab", "completion"]));
    expect(await bashCompletes([""])).toEqual(expect.arrayContaining(topCommands));
    // commander's own `help [command]` is the one command without options.
    for (const command of topCommands.filter((name) => name !== "help")) {
      expect(await bashCompletes([command, "--"])).toContain("--help");
    }
    expect(await bashCompletes(["apply", "--au"])).toEqual(["--auto-approve"]);
    expect(await bashCompletes(["verify", "--j"])).toEqual(["--junit"]);
  });

  it("offers the lab's subcommands, option choices and completion's shells", async () => {
    expect(labCommands).toEqual(expect.arrayContaining(["up", "down", "status"]));
    expect(await bashCompletes(["lab", ""])).toEqual(expect.arrayContaining(labCommands));
    expect(await bashCompletes(["plan", "x.yaml", "-o", ""])).toEqual(["text", "json", "markdown"]);
    expect(await bashCompletes(["apply", "--output", "j"])).toEqual(["json"]);
    expect(await bashCompletes(["completion", "z"])).toEqual(["zsh"]);
    expect(await bashCompletes(["completion", ""])).toEqual(
      expect.arrayContaining(["bash", "zsh", "fish"]),
    );
  });

  it("leaves a topology argument to file name completion", async () => {
    expect(await bashCompletes(["plan", "exa"])).toEqual([]);
  });
});

describe("completion fish", () => {
  const fishCompletes = async (line: string): Promise<string[]> => {
    const { stdout } = await execa("fish", [
      "--no-config",
      "-c",
      `source '${scripts["fish"]}'; complete -C '${line}'`,
    ]);
    return stdout
      .split("\n")
      .filter((entry) => entry !== "")
      .map((entry) => entry.split("\t")[0] ?? "");
  };

  it("offers every command, the lab's subcommands and option choices", async () => {
    expect(await fishCompletes("netplan-k ")).toEqual(expect.arrayContaining(topCommands));
    expect(await fishCompletes("netplan-k lab ")).toEqual(expect.arrayContaining(labCommands));
    expect(await fishCompletes("netplan-k plan -o ")).toEqual(["json", "markdown", "text"]);
    expect(await fishCompletes("netplan-k destroy --auto")).toEqual(["--auto-approve"]);
  });
});

describe("completion zsh", () => {
  it("parses, and defines one completion function per command", async () => {
    await execa("zsh", ["-n", scripts["zsh"] ?? ""]);
    const functions = [
      "_netplan_k",
      ...topCommands.map((command) => `_netplan_k_${command}`),
      ...labCommands.map((command) => `_netplan_k_lab_${command}`),
    ];
    const { stdout } = await execa("zsh", [
      "-f",
      "-c",
      `autoload -U compinit && compinit -u -D && source '${scripts["zsh"]}' && whence -w ${functions.join(" ")}`,
    ]);
    expect(stdout.split("\n")).toEqual(functions.map((name) => `${name}: function`));
  });
});
