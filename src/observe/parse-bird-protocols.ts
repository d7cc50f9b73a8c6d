import type { BirdProtocol } from "../model/bird-protocol.js";
import { ObservationError } from "./observation-error.js";

/**
 * `birdc show protocols` as rows: the one reader of that table, for the observation, apply's
 * wait for BGP and verify. BIRD 2.0.12 answers (recorded in test/verify/fixtures/ and
 * test/planner/fixtures/bird/):
 *
 *   BIRD 2.0.12 ready.
 *   Name       Proto      Table      State  Since         Info
 *   device1    Device     ---        up     02:08:14.639
 *   peer_x     BGP        ---        start  02:08:14.639  Active        Socket: Connection refused
 *   peer_x     BGP        ---        up     02:08:17.029  Established
 *   peer_x     BGP        ---        down   02:08:17.076
 *
 * (the last after `birdc disable peer_x`). Columns are space-padded, not fixed: a long name
 * pushes the rest to the right, so rows are split on whitespace. Since is one word
 * ("02:08:14.639", or "2024-05-01" after 20 hours) or two with `timeformat protocol iso long`
 * ("2024-05-01 02:08:14"). Info is BIRD's state word ("Established", "Active", "Connect",
 * "Idle") padded to a column, then an optional message, usually the last error.
 *
 * Throws ObservationError when the output has no table header (BIRD not answering) or a row
 * too short to read.
 */
export function parseBirdProtocols(output: string): BirdProtocol[] {
  const lines = output.split("\n");
  const header = lines.findIndex((line) =>
    /^Name\s+Proto\s+Table\s+State\s+Since\s+Info\s*$/.test(line),
  );
  if (header === -1) {
    throw new ObservationError(
      `birdc show protocols printed no table header: ${JSON.stringify(output.slice(0, 200))}`,
    );
  }
  return lines
    .slice(header + 1)
    .filter((line) => line.trim() !== "")
    .map(parseProtocolLine);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?$/;

function parseProtocolLine(line: string): BirdProtocol {
  const words = line.trim().split(/\s+/);
  const [name, proto, table, state, sinceFirst, sinceSecond] = words;
  if (
    name === undefined ||
    proto === undefined ||
    table === undefined ||
    state === undefined ||
    sinceFirst === undefined
  ) {
    throw new ObservationError(`unreadable birdc protocol line: ${line}`);
  }
  const sinceWords =
    DATE.test(sinceFirst) && sinceSecond !== undefined && TIME.test(sinceSecond) ? 2 : 1;
  // The info column is the rest of the line as BIRD wrote it: find where it starts by
  // skipping the leading words, so the padding inside it is kept for the split below.
  let rest = line.trimStart();
  for (let skipped = 0; skipped < 4 + sinceWords; skipped++) {
    rest = rest.replace(/^\S+\s*/, "");
  }
  const [info = "", ...message] = rest.trimEnd().split(/\s{2,}/);
  const since = words.slice(4, 4 + sinceWords).join(" ");
  return {
    name,
    proto,
    table,
    state,
    since,
    info,
    ...(message.length === 0 ? {} : { message: message.join("  ") }),
  };
}
