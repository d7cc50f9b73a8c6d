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
// planned: a link or namespace named twice, an address, route or neighbour held twice, a host
// of no topology host.
const TOPOLOGY: SnapshotTopology = { name: "vxlan-demo", hosts: ["node-1", "node-2", "node-3"] };

interface EditableSnapshot {
  topology: string;
  hosts: {
    host: string;
    state: {
      root: {
        links: { name: string }[];
        addresses: { dev: string; cidr: string }[];
        routes: { dst: string; table: number; via?: string; dev?: string }[];
        neighbours: { dev: string; dst: string }[];
      };
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

  // The kernel holds each of these once; before, a second copy loaded silently and one stood
  // for both (found by the last stop's hand trials).
  const escaped = (text: string): string => text.replace(/[.[\]()]/g, "\\$&");

  test("an address held twice on one device", () => {
    const json = converged();
    const addresses = json.hosts[0]!.state.root.addresses;
    const first = addresses.findIndex((a) => a.dev === "cni0");
    addresses.push(structuredClone(addresses[first]!));
    const { cidr } = addresses[first]!;
    expect(refusal(json)).toEqual({
      message: expect.stringMatching(
        `^state\\.json:\\d+:\\d+: ${escaped(
          `hosts[0].state.root.addresses[${addresses.length - 1}].cidr "${cidr}" on cni0 is ` +
            `already addresses[${first}].cidr: a device holds an address once`,
        )}$`,
      ),
      line: `"cidr": "${cidr}"`,
    });
  });

  test("a route listed twice, field for field", () => {
    const json = converged();
    const routes = json.hosts[1]!.state.root.routes;
    const first = routes.findIndex((r) => r.via !== undefined);
    routes.splice(first + 2, 0, structuredClone(routes[first]!));
    const { dst, table } = routes[first]!;
    expect(refusal(json)).toEqual({
      message: expect.stringMatching(
        `^state\\.json:\\d+:\\d+: ${escaped(
          `hosts[1].state.root.routes[${first + 2}].dst "${dst}" in table ${table} is already ` +
            `routes[${first}].dst: the same route, field for field (the kernel lists a route once)`,
        )}$`,
      ),
      line: `"dst": "${dst}",`,
    });
  });

  test("a neighbour entry of one address held twice on one device", () => {
    const json = converged();
    const neighbours = json.hosts[2]!.state.root.neighbours;
    neighbours.push({ ...structuredClone(neighbours[0]!), lladdr: "02:00:00:00:00:01" } as never);
    const { dst, dev } = neighbours[0]!;
    expect(refusal(json)).toEqual({
      message: expect.stringMatching(
        `^state\\.json:\\d+:\\d+: ${escaped(
          `hosts[2].state.root.neighbours[${neighbours.length - 1}].dst "${dst}" on ${dev} is ` +
            `already neighbours[0].dst: a device holds one neighbour entry of an address`,
        )}$`,
      ),
      line: `"dst": "${dst}",`,
    });
  });

  test("no false alarm: routes of one destination, table and metric with other next hops (ip route prepend), or in another table, and one address on two devices", () => {
    const json = converged();
    const { routes, addresses } = json.hosts[0]!.state.root;
    const peer = routes.find((r) => r.via !== undefined)!;
    routes.push({ ...structuredClone(peer), via: "192.168.64.99", dev: "eth0" });
    routes.push({ ...structuredClone(peer), table: 100 });
    addresses.push({ dev: "lo", cidr: addresses.find((a) => a.dev === "cni0")!.cidr });
    expect(() => parseSnapshot(JSON.stringify(json, null, 2), "state.json")).not.toThrow();
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
