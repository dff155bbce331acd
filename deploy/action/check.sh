#!/usr/bin/env bash
# The step of imagebot's GitHub Action: runs `imagebot check` on INPUT_PATH,
# against INPUT_BASE when it is set (a pull request's base commit), appends the
# Markdown report to $GITHUB_STEP_SUMMARY, and exits 1 when a check fails or
# imagebot cannot check.
#
# Environment: IMAGEBOT (the binary), INPUT_PATH, INPUT_BASE, GITHUB_STEP_SUMMARY.
set -uo pipefail

imagebot=${IMAGEBOT:?IMAGEBOT must name the imagebot binary}
dir=${INPUT_PATH:-.}
base=${INPUT_BASE:-}
summary=${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is not set: run this as a GitHub Actions step}

errors=$(mktemp)
trap 'rm -f "$errors"' EXIT

# cannot_check reports why imagebot did not run its checks, and fails.
cannot_check() {
	{
		echo "### imagebot could not check this repository"
		echo
		echo '```text'
		cat "$errors"
		echo '```'
	} >>"$summary"
	echo "::error::imagebot: $(head -n 1 "$errors")"
	cat "$errors" >&2
	exit 1
}

args=(check --format markdown)
if [[ -n "$base" ]]; then
	# actions/checkout fetches only the merged commit: fetch the base too.
	if [[ -d "$dir" ]] && ! git -C "$dir" cat-file -e "$base^{commit}" 2>/dev/null; then
		if ! git -C "$dir" fetch --quiet --no-tags --depth=1 origin "$base" 2>"$errors"; then
			echo "cannot fetch the pull request's base commit $base from origin" >>"$errors"
			cannot_check
		fi
	fi
	args+=(--base "$base")
fi
args+=(-- "$dir")

"$imagebot" "${args[@]}" >>"$summary" 2>"$errors"
case $? in
0) ;;
1)
	echo "::error::imagebot: a check failed; the job summary has the report"
	exit 1
	;;
*) cannot_check ;;
esac
