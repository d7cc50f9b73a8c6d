import { styleText } from "node:util";

export type Colour = "red" | "green" | "yellow";

/**
 * `text` in `colour` (node:util styleText) when `enabled`, else as it is. The caller decides
 * whether the output is a terminal, so styleText is told not to look at any stream.
 */
export const paint = (text: string, colour: Colour, enabled: boolean): string =>
  enabled ? styleText(colour, text, { validateStream: false }) : text;
