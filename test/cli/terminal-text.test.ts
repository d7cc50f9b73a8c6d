import { describe, expect, it } from "vitest";
import { sanitizeTerminalText } from "../../src/cli/terminal-text.js";

// Host-provided strings (a planted lock owner file, a kernel message) reach the terminal only
// through sanitizeTerminalText (output.ts).

describe("sanitizeTerminalText", () => {
  it("shows control bytes from a host as \\xNN: a title change, a cursor move, a bell", () => {
    const owner = "user=ev\x1b]0;pwned\x07il\x1b[2Jx\r\x9b";
    expect(sanitizeTerminalText(owner)).toBe("user=ev\\x1b]0;pwned\\x07il\\x1b[2Jx\\x0d\\x9b");
  });

  it("keeps tabs, newlines and the colour sequences netplan-k writes", () => {
    const text = "\x1b[31m✗\x1b[39m node-1:\tfailed\nnext";
    expect(sanitizeTerminalText(text)).toBe(text);
  });
});
