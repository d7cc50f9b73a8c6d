/**
 * Past this many changes, the text plan counts each host's changes instead of listing them:
 * a thousand-host full mesh has millions, more than anyone reads in a terminal. A module of
 * its own so that the CLI's help can name it without loading the renderer.
 */
export const FULL_PLAN_CHANGE_LIMIT = 1000;
