import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Topology } from "../topology/topology.js";
import { LabError } from "./lab-error.js";
import { DEFAULT_STATE_ROOT, labPaths, type LabOptions } from "./lab-paths.js";

/**
 * Who a lab belongs to (issue 11, point 8). A lab prefix belongs to the topology that built it:
 * `lab up` writes the topology's identity (its file's absolute path and its name) to `owner`
 * in the lab's state dir, and `lab up` / `lab down` of another topology under that prefix are
 * refused, unless the owner's file no longer exists (a lab left by a deleted file, a killed
 * test run's temp dir, is anybody's to repair or remove). The file goes with the state dir at
 * `lab down`. A prefix given on the command line
 * (`lab up --prefix`) is recorded per topology under /run/netplan-k/lab-prefix-of/, so that every later command
 * on the same file reaches the same lab.
 */

const OWNER_FILE = "owner";
/** Per topology identity (hashed), the prefix `lab up --prefix` chose for it. */
const PREFIX_OF_DIR = join(DEFAULT_STATE_ROOT, "..", "lab-prefix-of");

const IDENTITY_SUFFIX = / \(topology [^)]*\)$/;

/** "/home/alice/lab.yaml (topology alice)": a topology as the owner of a lab. */
export const labIdentity = (topology: Pick<Topology, "source" | "name">): string =>
  `${resolve(topology.source)} (topology ${topology.name})`;

/** The file an identity (labIdentity) names: "/home/alice/lab.yaml". */
export const identityFile = (identity: string): string => identity.replace(IDENTITY_SUFFIX, "");

const readText = (file: string): Promise<string | undefined> =>
  readFile(file, "utf8").then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    },
  );

/** The identity of the topology that built lab `prefix`; undefined when none is recorded. */
export const readLabOwner = (
  prefix: string,
  options: LabOptions = {},
): Promise<string | undefined> => readText(join(labPaths(prefix, options).stateDir, OWNER_FILE));

/**
 * Throws a LabError when lab `prefix` was built by another topology than `topology`, whose
 * file still exists: `doing` ("build", "remove") says what was refused. The remedy fits it: a
 * build is pointed at the owner's `lab down` or at another prefix, a removal at the owner's
 * own file.
 */
export async function checkLabOwner(
  topology: Pick<Topology, "source" | "name">,
  prefix: string,
  doing: "build" | "remove",
  options: LabOptions = {},
): Promise<void> {
  const owner = await readLabOwner(prefix, options);
  const self = labIdentity(topology);
  const ownerFile = owner === undefined ? undefined : identityFile(owner);
  if (owner !== self && ownerFile !== undefined && existsSync(ownerFile)) {
    throw new LabError(
      `lab prefix ${prefix} is in use by ${owner}; ${topology.source} may not ${doing} it`,
      {
        remedy:
          doing === "build"
            ? `Remove that lab first ("netplan-k lab down ${ownerFile}"), or choose another prefix: set lab.prefix in ${topology.source}, or run "netplan-k lab up ${topology.source} --prefix <another>".`
            : `That lab is not ${topology.source}'s: to remove it, run "netplan-k lab down ${ownerFile}".`,
      },
    );
  }
}

/** Records `topology` as the owner of lab `prefix` (after checkLabOwner). */
export async function claimLab(
  topology: Pick<Topology, "source" | "name">,
  prefix: string,
  options: LabOptions = {},
): Promise<void> {
  const { stateDir } = labPaths(prefix, options);
  await mkdir(stateDir, { recursive: true });
  await writeFile(join(stateDir, OWNER_FILE), `${labIdentity(topology)}\n`);
}

const prefixFile = (topology: Pick<Topology, "source" | "name">): string =>
  join(
    PREFIX_OF_DIR,
    createHash("sha256").update(labIdentity(topology)).digest("hex").slice(0, 16),
  );

/** The prefix `lab up --prefix` chose for this topology, if any. */
export const readPrefixOverride = (
  topology: Pick<Topology, "source" | "name">,
): Promise<string | undefined> => readText(prefixFile(topology));

/** Records (a prefix) or forgets (undefined) the prefix `lab up --prefix` chose for `topology`. */
export async function recordPrefixOverride(
  topology: Pick<Topology, "source" | "name">,
  prefix: string | undefined,
): Promise<void> {
  if (prefix === undefined) {
    await rm(prefixFile(topology), { force: true });
    return;
  }
  await mkdir(PREFIX_OF_DIR, { recursive: true });
  await writeFile(prefixFile(topology), `${prefix}\n`);
}

/**
 * The topology with the lab prefix `lab up --prefix` chose for it, when there is one; as it
 * is otherwise.
 */
export async function withRecordedLabPrefix(topology: Topology): Promise<Topology> {
  if (topology.lab === undefined) return topology;
  const prefix = await readPrefixOverride(topology);
  return prefix === undefined ? topology : { ...topology, lab: { ...topology.lab, prefix } };
}
