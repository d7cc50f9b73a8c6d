import { format, resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/cli/exit-codes.js";

// docs/errors.md is rendered from ERROR_CODES, the table that decides exit statuses: when a
// code is added, renamed or re-explained, this test fails until the page is rewritten
// (`npx vitest run test/cli/error-codes-doc.test.ts -u`).

const escapeCell = (text: string): string => text.replaceAll("|", "\\|");

/** The page as prettier formats it, so that `prettier --check .` and this test agree. */
async function renderErrorsPage(): Promise<string> {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, { exit, meaning }]) => `| \`${code}\` | ${exit} | ${escapeCell(meaning)} |`,
  );
  const page = [
    "# Error codes",
    "",
    "<!-- Rendered from ERROR_CODES in src/cli/exit-codes.ts by test/cli/error-codes-doc.test.ts; do not edit. -->",
    "",
    "Every error netplan-k reports carries a stable `code` of the form `<area>.<kind>`: in",
    '`-o json` output (`{"errors":[{"code", "message", "hint"}]}`, docs/plan-json.md), in a',
    "host's failures in apply events (docs/events-json.md), and in `--debug` output. Messages and",
    "hints are for people and may change; codes do not. The exit status is the one of a command",
    "that stops on the error.",
    "",
    "| code | exit | meaning |",
    "| ---- | ---- | ------- |",
    ...rows,
    "",
  ].join("\n");
  const options = await resolveConfig("docs/errors.md");
  return format(page, { ...options, parser: "markdown" });
}

describe("error codes", () => {
  it("are all <area>.<kind-in-kebab>", () => {
    const offStyle = Object.keys(ERROR_CODES).filter(
      (code) => !/^[a-z]+\.[a-z]+(-[a-z]+)*$/.test(code),
    );
    expect(offStyle).toEqual([]);
  });

  it("are listed, with exit status and meaning, in docs/errors.md", async () => {
    await expect(await renderErrorsPage()).toMatchFileSnapshot("../../docs/errors.md");
  });
});
