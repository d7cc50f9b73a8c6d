import wrapAnsi from "wrap-ansi";

/** Below this many columns for the text itself, wrapping helps nobody: lines stay as they are. */
const NARROWEST = 20;

/**
 * Fits text to a terminal `columns` wide, so that a long line (a vxlan link with its MAC, a
 * kernel error) does not run off the screen or break where the terminal happens to cut it:
 * each line longer than that is wrapped at spaces (hard where a word alone is too long, colour
 * codes kept by wrap-ansi), its continuations indented four columns deeper than the line
 * itself. Lines that fit are left byte for byte.
 */
export function wrapForTerminal(text: string, columns: number): string {
  return text
    .split("\n")
    .map((line) => {
      const lead = /^ */.exec(line)?.[0].length ?? 0;
      const hanging = lead + 4;
      const wrapped = wrapAnsi(line.slice(lead), columns - hanging, { hard: true }).split("\n");
      if (wrapped.length === 1 || columns - hanging < NARROWEST) return line;
      const [first, ...rest] = wrapped;
      return [" ".repeat(lead) + first, ...rest.map((part) => " ".repeat(hanging) + part)].join(
        "\n",
      );
    })
    .join("\n");
}
