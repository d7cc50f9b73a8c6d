# Sourced by the record-*-fixtures.sh scripts that observe one host namespace. Given $host (the
# namespace's name), it makes the scratch directory $work, compiles OBSERVATION_SCRIPT alone
# into $work/observe.sh (the script that runs is exactly that file), adds the namespace, and
# removes both on exit, failed or not (the namespace's processes killed first, its workloads
# going with the private /run they live in). Expects $repo, the repository's root.
work=$(mktemp -d)
cleanup() {
  if [[ -e /run/netns/$host ]]; then
    ip netns pids "$host" | xargs -r kill 2>/dev/null || true
    ip netns del "$host" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

(
  cd "$repo"
  npx tsc src/observe/observation-script.ts --outDir "$work/js" --rootDir src \
    --module nodenext --moduleResolution nodenext --target es2022 --strict --skipLibCheck
)
node --input-type=module -e "
  const { OBSERVATION_SCRIPT } = await import('$work/js/observe/observation-script.js');
  process.stdout.write(OBSERVATION_SCRIPT);" >"$work/observe.sh"
ip netns add "$host"
