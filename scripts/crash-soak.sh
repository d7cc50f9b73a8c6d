#!/bin/sh
# Crash soak, by hand (issue 11, point 5): the crash trials of test/e2e/crash-trials.test.ts, many
# of them (apply killed with SIGKILL at seeded random points of every phase, first over the
# netns transport, then over the lab's sshd; then the next apply must converge, plan find
# nothing, foreign objects read the same), and the file's interruption cases once. As root, in
# the lab lock.
#
#   scripts/crash-soak.sh [TRIALS [SEED [SSHD_TRIALS]]]
#       default 200 netns trials, seed "random" (printed), 50 sshd trials
#
# Replay a failure with the seed its message names. Needs the built CLI (npm run build).
set -eu
cd "$(dirname "$0")/.."
NETPLAN_K_CRASH_TRIALS="${1:-200}" NETPLAN_K_CRASH_SEED="${2:-random}" \
  NETPLAN_K_CRASH_SSHD_TRIALS="${3:-50}" \
  exec flock /tmp/nk-lab.lock npx vitest run test/e2e/crash-trials.test.ts --testTimeout=0
