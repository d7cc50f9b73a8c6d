import { describe, expect, it } from "vitest";
import type { Link } from "../../src/model/index.js";
import { fingerprintHostState } from "../../src/planner/fingerprint.js";
import { observedVxlanHost } from "./states.js";

describe("fingerprintHostState", () => {
  it("is a sha256 hex digest, the same for the same state", () => {
    const fingerprint = fingerprintHostState(observedVxlanHost());
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintHostState(observedVxlanHost())).toBe(fingerprint);
  });

  it("ignores the order of properties and of listed objects", () => {
    const state = observedVxlanHost();
    const shuffled = {
      services: state.services,
      files: state.files,
      sysctls: [...state.sysctls].reverse(),
      namespaces: state.namespaces,
      root: {
        fdb: state.root.fdb,
        neighbours: state.root.neighbours,
        routes: [...state.root.routes].reverse(),
        addresses: state.root.addresses,
        links: state.root.links.map(
          (link) => Object.fromEntries(Object.entries(link).reverse()) as unknown as Link,
        ),
      },
    };
    expect(fingerprintHostState(shuffled)).toBe(fingerprintHostState(state));
  });

  it("ignores dynamic neighbour entries, which ARP traffic changes all the time", () => {
    const state = observedVxlanHost();
    const learned = {
      dev: "eth0",
      dst: "192.168.64.9",
      lladdr: "02:00:00:00:00:09",
      permanent: false,
    };
    const withLearned = {
      ...state,
      root: { ...state.root, neighbours: [...state.root.neighbours, learned] },
    };
    expect(fingerprintHostState(withLearned)).toBe(fingerprintHostState(state));
    const pinned = { ...learned, permanent: true };
    const withPinned = {
      ...state,
      root: { ...state.root, neighbours: [...state.root.neighbours, pinned] },
    };
    expect(fingerprintHostState(withPinned)).not.toBe(fingerprintHostState(state));
  });

  it("changes when any observed field changes", () => {
    const state = observedVxlanHost();
    const drifted = {
      ...state,
      root: {
        ...state.root,
        links: state.root.links.map((link) =>
          link.name === "cni0" ? { ...link, mtu: 1500 } : link,
        ),
      },
    };
    expect(fingerprintHostState(drifted)).not.toBe(fingerprintHostState(state));
  });
});
