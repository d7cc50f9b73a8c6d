/**
 * Text from hosts (a lock's owner file, a kernel's message, a command's stderr) may hold
 * terminal control bytes: written raw, an escape sequence can move the cursor, retitle the
 * window or hide the lines around it. Every line the CLI writes passes here (output.ts), so
 * no host-provided string reaches a terminal raw; the colour sequences (SGR, `ESC [ … m`) that
 * netplan-k writes itself are kept.
 */

/** C0 controls but tab and newline, DEL, and C1 controls; ESC is judged apart (SGR kept). */
const CONTROL = /\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * `text` with every control byte shown as `\xNN` (a visible, harmless form), except tab,
 * newline and SGR colour sequences. Pure.
 */
export const sanitizeTerminalText = (text: string): string =>
  text.replace(CONTROL, (match) =>
    match.length > 1 ? match : `\\x${match.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
