import picocolors from "picocolors";

export type Colour = "red" | "green" | "yellow";

/**
 * `text` in `colour` (picocolors) when `enabled`, else as it is. The caller decides whether
 * the output is a terminal, so the library is not asked to look at any stream.
 */
export const paint = (text: string, colour: Colour, enabled: boolean): string =>
  enabled ? picocolors.createColors(true)[colour](text) : text;
