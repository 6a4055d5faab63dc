#!/usr/bin/env bash
# Builds and vets every module of go.work except the core as a user of it
# would: without go.work (GOWORK=off), with the core at the version its
# go.mod requires and the checksums its go.sum holds. The core version is
# fetched from this repository's own git history (a pseudo-version names a
# commit on main) instead of the network, so this works before anything is
# published and fails when a module's go.mod or go.sum is not what a user
# would need (see RELEASING.md).
#
# With -update it records missing checksums in the modules' go.sum files
# instead of failing (after a change of the core version they require).
set -euo pipefail
mode=-mod=readonly
if [ "${1:-}" = "-update" ]; then mode=-mod=mod; fi
cd "$(dirname "$0")/.."
root=$(pwd)
export GOWORK=off GOFLAGS=$mode GOPRIVATE=github.com/oauthreg/oauthreg
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.$root.insteadOf" GIT_CONFIG_VALUE_0=https://github.com/oauthreg/oauthreg
for dir in $(GOWORK= GOFLAGS= go list -m -f '{{.Dir}}'); do
  [ "$dir" = "$root" ] && continue
  version=$(cd "$dir" && go mod edit -json | grep -A1 '"Path": "github.com/oauthreg/oauthreg"' | sed -n 's/.*"Version": "\(.*\)".*/\1/p' | head -1)
  commit=${version##*-}
  if [ -n "$commit" ] && ! git cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "   ${dir#"$root"/}: core $version names commit $commit, which this clone lacks (shallow?): skipped"
    continue
  fi
  echo "   ${dir#"$root"/} with core $version"
  (cd "$dir" && go build ./... && go vet ./...)
done
