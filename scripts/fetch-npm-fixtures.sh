#!/usr/bin/env bash
# Fetches the pinned npm packages whose files imagebot's tests validate against:
#   @octokit/openapi            generated/api.github.com.json (GitHub's REST description)
#   @octokit/webhooks-examples  api.github.com/index.json     (real webhook payloads)
# Each file lands in <dir>/<package>-<version>/<path>, where <dir> is $IMAGEBOT_FIXTURES_DIR
# or <repo>/.cache/npm. The Go package internal/fixtures reads the same layout, and its tests
# check that the versions pinned here match its own.
# The script does nothing when both files are present, and exits non-zero when npm fails.
set -euo pipefail

OPENAPI_VERSION=23.0.2
WEBHOOKS_EXAMPLES_VERSION=7.6.1

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${IMAGEBOT_FIXTURES_DIR:-$repo_root/.cache/npm}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fetch PACKAGE VERSION DEST_DIR MEMBER: packs PACKAGE@VERSION and extracts only MEMBER.
fetch() {
	local package=$1 version=$2 dest=$3 member=$4
	if [[ -s "$dest/$member" ]]; then
		return 0
	fi
	echo "fetch-npm-fixtures: npm pack $package@$version" >&2
	local tarball
	if ! tarball=$(cd "$work" && npm pack --loglevel=error "$package@$version"); then
		echo "fetch-npm-fixtures: npm pack $package@$version failed" >&2
		exit 1
	fi
	tarball=$(printf '%s\n' "$tarball" | tail -n 1)
	if [[ ! -f "$work/$tarball" ]]; then
		echo "fetch-npm-fixtures: npm pack $package@$version produced no tarball (got '$tarball')" >&2
		exit 1
	fi
	mkdir -p "$work/x"
	tar -xzf "$work/$tarball" -C "$work/x" "package/$member"
	mkdir -p "$(dirname "$dest/$member")"
	mv "$work/x/package/$member" "$dest/$member.tmp"
	rm -rf "$work/x" "${work:?}/$tarball"
	mv "$dest/$member.tmp" "$dest/$member"
}

fetch @octokit/openapi "$OPENAPI_VERSION" \
	"$dir/octokit-openapi-$OPENAPI_VERSION" generated/api.github.com.json
fetch @octokit/webhooks-examples "$WEBHOOKS_EXAMPLES_VERSION" \
	"$dir/octokit-webhooks-examples-$WEBHOOKS_EXAMPLES_VERSION" api.github.com/index.json
