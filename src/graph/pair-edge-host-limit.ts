/**
 * Up to this many hosts a graph draws one edge per host pair (8 hosts: 28 edges, still
 * readable); past it, one edge per pair of segments (and a line per segment for the pairs
 * inside it), labelled with how many host pairs take each path. A module of its own so that
 * the CLI's help can name it without loading the graph builder.
 */
export const PAIR_EDGE_HOST_LIMIT = 8;
