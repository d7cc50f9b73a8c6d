#!/bin/sh
# Crash soak, by hand (issue 11, point 5): N crash trials of test/e2e/crash-trials.test.ts
# (apply killed with SIGKILL at seeded random points of every phase, then the next apply must
# converge, plan find nothing, foreign objects read the same). As root, in the lab lock.
#
#   scripts/crash-soak.sh [TRIALS [SEED]]     default 200 trials, seed "random" (printed)
#
# Replay a failure with the seed its message names. Needs the built CLI (npm run build).
set -eu
cd "$(dirname "$0")/.."
NETPLAN_K_CRASH_TRIALS="${1:-200}" NETPLAN_K_CRASH_SEED="${2:-random}" \
  exec flock /tmp/nk-lab.lock npx vitest run test/e2e/crash-trials.test.ts --testTimeout=0
