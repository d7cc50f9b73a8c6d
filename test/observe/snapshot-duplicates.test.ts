import { describe, expect, test } from "vitest";
import { ObservationError } from "../../src/observe/observation-error.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import {
  parseSnapshot,
  renderSnapshot,
  type SnapshotTopology,
} from "../../src/observe/snapshot.js";
import { readFixture } from "./fixtures.js";

// A snapshot that observe cannot have written is refused with the place in the file, not
// planned: a link or namespace named twice, a host of no topology host.
const TOPOLOGY: SnapshotTopology = { name: "vxlan-demo", hosts: ["node-1", "node-2", "node-3"] };

interface EditableSnapshot {
  topology: string;
  hosts: {
    host: string;
    state: {
      root: { links: { name: string }[] };
      namespaces: { name: string }[];
    };
  }[];
}

const converged = (): EditableSnapshot =>
  JSON.parse(
    renderSnapshot({
      formatVersion: 1,
      topology: "vxlan-demo",
      hosts: TOPOLOGY.hosts.map((host) =>
        parseObservation(host, readFixture(`converged/vxlan/${host}.txt`)),
      ),
    }),
  ) as EditableSnapshot;

/** The message, and the text of the line it points at. */
function refusal(json: EditableSnapshot, topology?: SnapshotTopology) {
  const text = JSON.stringify(json, null, 2);
  try {
    parseSnapshot(text, "state.json", topology);
  } catch (error) {
    expect(error).toBeInstanceOf(ObservationError);
    const message = (error as Error).message;
    const line = Number(/^state\.json:(\d+):\d+: /.exec(message)?.[1]);
    return { message, line: text.split("\n")[line - 1]?.trim() };
  }
  throw new Error("parseSnapshot accepted the snapshot");
}

describe("a snapshot observe cannot have written is refused where it is wrong", () => {
  test("a link named twice in a host's namespace", () => {
    const json = converged();
    const links = json.hosts[1]!.state.root.links;
    const at = links.findIndex((l) => l.name === "cni0");
    links[at]!.name = "eth0";
    const first = links.findIndex((l) => l.name === "eth0");
    expect(refusal(json)).toEqual({
      message: expect.stringMatching(
        `^state\\.json:\\d+:\\d+: hosts\\[1\\]\\.state\\.root\\.links\\[${Math.max(at, first)}\\]\\.name "eth0" is already links\\[${Math.min(at, first)}\\]\\.name: a namespace holds one link of a name$`,
      ),
      line: '"name": "eth0",',
    });
  });

  test("a workload namespace named twice on a host", () => {
    const json = converged();
    const namespaces = json.hosts[0]!.state.namespaces;
    namespaces.splice(1, 0, structuredClone(namespaces[0]!));
    expect(refusal(json)).toEqual({
      message: expect.stringMatching(
        /^state\.json:\d+:\d+: hosts\[0\]\.state\.namespaces\[1\]\.name "[^"]+" is already namespaces\[0\]\.name: a host holds one namespace of a name$/,
      ),
      line: `"name": "${namespaces[0]!.name}",`,
    });
  });

  test("a host that is not in the topology planned with", () => {
    const json = converged();
    json.hosts[2]!.host = "node-9";
    expect(refusal(json, TOPOLOGY)).toEqual({
      message: expect.stringMatching(
        /^state\.json:\d+:\d+: hosts\[2\]\.host "node-9" is not a host of the topology \(its hosts: node-1, node-2, node-3\): observe again with this topology, or remove hosts\[2\]$/,
      ),
      line: '"host": "node-9",',
    });
  });

  test("no false alarm: the converged snapshot, a subset of the topology's hosts, or another topology's (its name is the caller's to refuse)", () => {
    const text = (json: EditableSnapshot) => JSON.stringify(json, null, 2);
    expect(() => parseSnapshot(text(converged()), "state.json", TOPOLOGY)).not.toThrow();
    const subset = converged();
    subset.hosts.pop();
    expect(() => parseSnapshot(text(subset), "state.json", TOPOLOGY)).not.toThrow();
    const other = converged();
    other.topology = "another";
    expect(() => parseSnapshot(text(other), "state.json", TOPOLOGY)).not.toThrow();
  });
});
