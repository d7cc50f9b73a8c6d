/** ANSI colours for the verify tables; the caller decides whether the output is a terminal. */
const CODES = { red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m" } as const;
const RESET = "\x1b[0m";

export type Colour = keyof typeof CODES;

export const paint = (text: string, colour: Colour, enabled: boolean): string =>
  enabled ? `${CODES[colour]}${text}${RESET}` : text;
