#!/usr/bin/env bash
# Runs every fuzz target in the module for a bounded time each (FUZZTIME,
# default 10s) and fails if any finds a crash. Go writes each crasher to
# testdata/fuzz/<FuzzName>/ in the target's package: commit it as a
# regression input (plain `go test` then replays it) and fix the bug.
#
#   FUZZTIME=20s .ci/fuzz.sh        # all targets
#   .ci/fuzz.sh ./internal/sigv4/   # the targets of some packages
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-10s}"
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)

# `go test -list` prints each package's matching names, then its "ok" line
# (and fails if a package does not build).
listing="$(go test -list '^Fuzz' "${pkgs[@]}")"
targets=()
names=()
while read -r first second _; do
  case "$first" in
    Fuzz*) names+=("$first") ;;
    ok)
      for name in "${names[@]}"; do targets+=("$second $name"); done
      names=()
      ;;
  esac
done <<<"$listing"

# fuzz_target runs one target. Go's fuzzer sometimes ends a clean run with
# "context deadline exceeded" when -fuzztime runs out mid-minimisation
# (no crasher written): that run is repeated, up to three runs in all (on
# 2 cores it hits one target in two CI runs); a real crash is not.
fuzz_target() {
  local pkg="$1" name="$2" out
  out="$(mktemp)"
  for attempt in 1 2 3; do
    if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$out"; then
      rm -f "$out"
      return 0
    fi
    if ! grep -q 'context deadline exceeded' "$out" || grep -q 'Failing input written to' "$out"; then
      break
    fi
    if [ "$attempt" -lt 3 ]; then
      echo "(deadline flake with no crasher: running $name once more)"
    fi
  done
  rm -f "$out"
  return 1
}

echo "fuzzing ${#targets[@]} targets for $fuzztime each"
failed=()
for target in "${targets[@]}"; do
  read -r pkg name <<<"$target"
  echo "--- $pkg $name"
  if ! fuzz_target "$pkg" "$name"; then
    failed+=("$pkg $name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz targets that failed:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  echo "new crashers (commit them as regression inputs):" >&2
  git status --porcelain --untracked-files=all -- '*testdata/fuzz/*' >&2
  exit 1
fi
echo "all ${#targets[@]} fuzz targets ran clean"
