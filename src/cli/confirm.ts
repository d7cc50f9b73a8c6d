import { createInterface } from "node:readline/promises";
import { CliError } from "./cli-error.js";
import type { Output } from "./output.js";

/**
 * Asks before changing hosts, as Terraform does: only "yes" goes on. Without a terminal there
 * is nobody to ask, so the command refuses unless --auto-approve said yes in advance.
 */
export async function confirmChanges(
  question: string,
  autoApprove: boolean,
  output: Output,
): Promise<boolean> {
  if (autoApprove) return true;
  if (!output.interactive) {
    throw new CliError(
      "there is no terminal to ask for confirmation, so nothing was changed",
      "Review the plan above, then run again with --auto-approve (or save it with plan --out and apply that file).",
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question}\n  Only 'yes' will be accepted: `);
    return answer.trim() === "yes";
  } finally {
    prompt.close();
  }
}
