/** Where and how the CLI writes: colour only on a terminal, and never when NO_COLOR is set. */
export interface Output {
  readonly color: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function terminalOutput(options: { color?: boolean }): Output {
  const color =
    options.color !== false &&
    process.stdout.isTTY === true &&
    process.env["NO_COLOR"] === undefined;
  return {
    color,
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  };
}
