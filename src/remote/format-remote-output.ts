import { MARKER, beginLine, END_LINE, type RemoteScriptKind } from "./remote-script.js";

/** What one section of a remote script printed, as nk_section frames it. */
export interface RemoteSectionOutput {
  readonly name: string;
  /** The command's stdout; "" when it printed nothing. */
  readonly body: string;
  /** Exit status; 0 when left out. */
  readonly exitCode?: number;
  /** The command's stderr; none when left out. */
  readonly stderr?: string;
}

/**
 * The output a script made by renderRemoteScript prints for these sections: the begin line,
 * each section framed and escaped as nk_section does it in the shell (a body line starting
 * with the marker becomes a "line:" marker), then the end line unless `complete` is false (a
 * stream cut short). The TypeScript twin of the shell's framing, so that fake transports and
 * parser tests speak the format parseRemoteOutput reads, never a hand-typed copy of it.
 */
export function formatRemoteOutput(
  kind: RemoteScriptKind,
  sections: readonly RemoteSectionOutput[],
  options: { readonly complete?: boolean } = {},
): string {
  const lines = [beginLine(kind)];
  for (const section of sections) {
    lines.push(`${MARKER}section:${section.name}`);
    lines.push(
      ...section.body
        .split("\n")
        .map((line) => (line.startsWith(MARKER) ? `${MARKER}line:${line}` : line)),
    );
    if (section.stderr !== undefined && section.stderr !== "") {
      lines.push(...section.stderr.split("\n").map((line) => `${MARKER}stderr:${line}`));
    }
    lines.push(`${MARKER}exit:${section.exitCode ?? 0}`);
  }
  if (options.complete !== false) lines.push(END_LINE);
  return `${lines.join("\n")}\n`;
}
