import { execa } from "execa";
import { describe, expect, it } from "vitest";
import {
  argvToRemoteCommandLine,
  quoteForRemoteShell,
} from "../../src/transport/quote-for-remote-shell.js";

/** Words a careless join would let the remote shell split, expand, redirect or execute. */
const hostileWords = [
  "",
  " ",
  "two words",
  "it's",
  "'",
  "''",
  "'\\''",
  '"double" quotes',
  "$HOME",
  "${PATH}",
  "$(echo injected)",
  "`id`",
  "a; echo injected",
  "a && b || c",
  "x | y",
  "> /dev/null",
  "< /etc/passwd",
  "*",
  "/etc/*",
  "~",
  "~root",
  "#comment",
  "FOO=bar",
  "{a,b}",
  "[abc]",
  "back\\slash\\",
  "line\nbreak",
  "tab\there",
  "trailing newline\n",
  "\\n literal",
  "!history",
  "-n",
  "--",
  "ünïcødé ✓",
  "\u0007bell\u001b[31mescape",
];

/** What `sh -c line` hands to a program: its words, each followed by NUL. */
async function wordsSeenByShell(line: string): Promise<string[]> {
  const { stdout } = await execa("sh", ["-c", `printf '%s\\0' ${line}`], {
    stripFinalNewline: false,
  });
  return stdout.split("\0").slice(0, -1);
}

describe("quoteForRemoteShell", () => {
  it("leaves plain words bare and quotes everything else", () => {
    expect(quoteForRemoteShell("ip")).toBe("ip");
    expect(quoteForRemoteShell("10.244.1.0/24")).toBe("10.244.1.0/24");
    expect(quoteForRemoteShell("-batch")).toBe("-batch");
    expect(quoteForRemoteShell("netplan-k:demo")).toBe("netplan-k:demo");
    expect(quoteForRemoteShell("")).toBe("''");
    expect(quoteForRemoteShell("FOO=bar")).toBe("'FOO=bar'");
    expect(quoteForRemoteShell("it's")).toBe("'it'\\''s'");
    expect(quoteForRemoteShell("$HOME")).toBe("'$HOME'");
  });

  it.each(hostileWords.map((word) => [JSON.stringify(word), word]))(
    "%s reaches the program unchanged through sh -c",
    async (_name, word) => {
      expect(await wordsSeenByShell(quoteForRemoteShell(word))).toEqual([word]);
    },
  );

  it("turns a whole argv into a line that sh splits back into exactly that argv", async () => {
    expect(await wordsSeenByShell(argvToRemoteCommandLine(hostileWords))).toEqual(hostileWords);
  });

  it("keeps a leading assignment-looking word a command name, not an assignment", async () => {
    // Bare, "FOO=bar true" would set FOO and run true (exit 0); quoted, sh looks for a
    // program called FOO=bar.
    const result = await execa("sh", ["-c", argvToRemoteCommandLine(["FOO=bar", "true"])], {
      reject: false,
    });
    expect(result.exitCode).toBe(127);
  });
});
