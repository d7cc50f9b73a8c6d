import type { Link } from "../model/index.js";
import { FORWARDING_PORT, linkKey } from "../model/index.js";
import { formatReason, labelObject } from "./describe-object.js";
import {
  formatFieldChange,
  formatFieldChanges,
  isArpChanged,
  isPortChanged,
  isStpChanged,
  linkFieldChanges,
  linkRecreateCauses,
  type FieldChange,
} from "./field-changes.js";
import { makeChange, makeCreate, makeConflict, type DiffResult } from "./make-change.js";
import { isComparedLink } from "./normalisations.js";
import {
  aliasOwnerPhrase,
  isAdoptableTunnel,
  isLinkOwned,
  withAdoptionRecord,
  type Scope,
} from "./ownership-rules.js";
import type { Change, Conflict } from "./plan.js";
import { releasePort } from "./project-observed.js";

export type VethPeer = NonNullable<Link["peer"]>;

export interface LinkDiffInput {
  readonly scope: Scope;
  readonly desired: readonly Link[];
  readonly observed: readonly Link[];
  /** Whether a veth's other end is there, as observed in its namespace. */
  readonly isPeerPresent: (peer: VethPeer) => boolean;
}

function conflictReason(link: Link): string {
  const kind = link.kind === "" ? "no kind" : `kind ${link.kind}`;
  const alias = link.alias === undefined || link.alias === "" ? "no alias" : `alias ${link.alias}`;
  return (
    `link ${link.name} exists (${kind}, ${alias}) and ${aliasOwnerPhrase(link.alias)}; ` +
    `remove it (ip link del ${link.name}) or change the topology`
  );
}

/** One reason to delete a link and create it again. */
type RecreateCause =
  | { readonly kind: "field"; readonly change: FieldChange }
  | { readonly kind: "peer-missing"; readonly peer: NonNullable<Link["peer"]> };

const formatRecreateCause = (cause: RecreateCause): string =>
  cause.kind === "field"
    ? formatFieldChange(cause.change)
    : `its other end ${cause.peer.name} in namespace ${cause.peer.netns} is missing`;

/** Why a desired link must be deleted and created again, or nothing when it can be updated. */
function recreateCauses(desired: Link, observed: Link, input: LinkDiffInput): RecreateCause[] {
  const causes: RecreateCause[] = linkRecreateCauses(desired, observed).map((change) => ({
    kind: "field",
    change,
  }));
  const peer = desired.peer;
  // A veth whose namespace end is gone cannot get it back: the pair is created in one command.
  if (desired.kind === observed.kind && peer !== undefined && !input.isPeerPresent(peer)) {
    causes.push({ kind: "peer-missing", peer });
  }
  return causes;
}

/**
 * Links of one scope. Unlike the other kinds a link can need a recreate ("replace"), tunl0 is
 * adopted rather than reported, and a port compares against its bridge's fate.
 */
export function diffLinks(input: LinkDiffInput): DiffResult {
  const { scope } = input;
  const netns = scope.netns;
  const desiredKeys = new Set(input.desired.map(linkKey));
  const compared = input.observed.filter((link) =>
    isComparedLink(link, desiredKeys, netns !== undefined),
  );
  const observedByName = new Map(compared.map((link) => [linkKey(link), link]));
  const isOwned = (want: Link, found: Link): boolean =>
    isLinkOwned(scope, found) || isAdoptableTunnel(want, found);

  const causesByName = new Map<string, RecreateCause[]>();
  for (const want of input.desired) {
    const found = observedByName.get(linkKey(want));
    if (found !== undefined && isOwned(want, found)) {
      causesByName.set(linkKey(want), recreateCauses(want, found, input));
    }
  }
  const recreated = new Set(
    [...causesByName].filter(([, causes]) => causes.length > 0).map(([name]) => name),
  );

  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  for (const wanted of input.desired) {
    const key = linkKey(wanted);
    const label = labelObject("link", wanted);
    const found = observedByName.get(key);
    const want = withAdoptionRecord(scope, wanted, found);
    const causes = causesByName.get(key);
    if (found === undefined) {
      changes.push(makeCreate("link", netns, key, want, label));
    } else if (causes === undefined) {
      conflicts.push(makeConflict("link", netns, key, conflictReason(found)));
    } else if (causes.length > 0) {
      changes.push(
        makeChange({
          kind: "link",
          action: "replace",
          netns,
          key,
          before: found,
          after: want,
          reason: formatReason(
            label,
            `${causes.map(formatRecreateCause).join(", ")}, must be recreated (disruptive)`,
          ),
          disruptive: true,
        }),
      );
    } else {
      // Recreating a bridge releases its ports: they compare as having no master.
      const base = releasePort(found, recreated);
      const differences = linkFieldChanges(want, base);
      if (differences.length > 0) {
        changes.push(
          makeChange({
            kind: "link",
            action: "update",
            netns,
            key,
            before: found,
            // The applier sets a port's forwarding settings, ARP and STP only when the change
            // carries them.
            after: {
              ...want,
              ...(isPortChanged(want, base) && { port: FORWARDING_PORT }),
              ...(isArpChanged(want, base) && { noarp: false }),
              ...(isStpChanged(want, base) && { stp: false }),
            },
            reason: formatReason(label, formatFieldChanges(differences)),
            disruptive: (found.up && !want.up) || base.master !== want.master,
          }),
        );
      }
    }
  }

  for (const found of compared) {
    if (desiredKeys.has(linkKey(found)) || !isLinkOwned(scope, found)) continue;
    changes.push(
      makeChange({
        kind: "link",
        action: "delete",
        netns,
        key: linkKey(found),
        before: found,
        reason: formatReason(labelObject("link", found), "not in the topology"),
        disruptive: found.up,
      }),
    );
  }
  return { changes, conflicts };
}
