#!/usr/bin/env bash
# bench-memory.sh: the peak memory (max RSS) and time of `imagebot check` and
# `imagebot diff` on the hostile inputs of issue 8, item 14, each in a
# subprocess under /usr/bin/time -v. It generates the inputs into a temporary
# directory, prints one line per input, and removes them. Usage:
#
#   scripts/bench-memory.sh [IMAGEBOT_BINARY]
#
# Without an argument it builds ./cmd/imagebot. Needs Go, awk and GNU time
# (Debian: apt-get install -y time). The goal is at most 256 MB for each.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${1:-}
if [[ -z $bin ]]; then
	bin=$work/imagebot
	go build -o "$bin" ./cmd/imagebot
fi

# condalock FILE BYTES: a block-style conda-lock.yml of about BYTES bytes.
condalock() {
	awk -v target="$2" 'BEGIN {
		print "version: 1\nmetadata:\n  content_hash:\n    linux-64: x\n  channels:\n  - url: conda-forge\n  platforms:\n  - linux-64\n  sources:\n  - environment.yml\npackage:"
		for (n = 0; size < target; n++) {
			s = sprintf("- name: pkg%d\n  version: 1.0.%d\n  manager: conda\n  platform: linux-64\n  dependencies:\n    python: \">=3.9\"\n  url: https://conda.anaconda.org/conda-forge/linux-64/pkg%d-1.0.%d-h0_0.conda\n  hash:\n    md5: d41d8cd98f00b204e9800998ecf8427e\n  category: main\n  optional: false\n", n, n, n, n)
			printf "%s", s
			size += length(s)
		}
	}' >"$1"
}

# uvlock FILE BYTES: a uv.lock of about BYTES bytes of ordinary packages.
uvlock() {
	awk -v target="$2" 'BEGIN {
		print "version = 1\nrequires-python = \">=3.12\"\n"
		for (n = 0; size < target; n++) {
			s = sprintf("[[package]]\nname = \"pkg%d\"\nversion = \"1.0.%d\"\nsource = { registry = \"https://pypi.org/simple\" }\ndependencies = [{ name = \"pkg%d\" }]\nwheels = [{ url = \"https://files.pythonhosted.org/pkg%d-1.0-py3-none-any.whl\", hash = \"sha256:00\", size = 1 }]\n\n", n, n, n + 1, n)
			printf "%s", s
			size += length(s)
		}
	}' >"$1"
}

# repeat FILE PREFIX UNIT SUFFIX BYTES: PREFIX, UNIT repeated to about BYTES, SUFFIX.
repeat() {
	{
		printf '%s' "$2"
		awk -v unit="$3" -v target="$5" 'BEGIN { n = int(target / length(unit)); for (i = 0; i < n; i += 4096) { s = ""; for (j = 0; j < 4096 && i + j < n; j++) s = s unit; printf "%s", s } }'
		printf '%s' "$4"
	} >"$1"
}

# measure NAME COMMAND...: one line with the max RSS and the wall time.
measure() {
	local name=$1
	shift
	/usr/bin/time -v "$@" >/dev/null 2>"$work/time" || true
	local rss wall
	rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time")
	printf '%-46s %6s MB  %s\n' "$name" "$rss" "$wall"
}

mib=$((1 << 20))

d=$work/eight-condalocks
for i in 1 2 3 4 5 6 7 8; do
	mkdir -p "$d/env$i"
	condalock "$d/env$i/conda-lock.yml" $((63 * 1000 * 1000))
done
measure "check: 8 x 63 MB conda-lock.yml" "$bin" check "$d"
rm -rf "$d"

d=$work/four-uvlocks
for i in 1 2 3 4; do
	mkdir -p "$d/app$i"
	uvlock "$d/app$i/uv.lock" $((8 * mib - 4096))
done
measure "check: 4 x 8 MiB uv.lock" "$bin" check "$d"
rm -rf "$d"

d=$work/uv-empty-tables
mkdir -p "$d"
repeat "$d/uv.lock" $'version = 1\nrequires-python = ">=3.12"\n[[package]]\nname = "a"\nversion = "1"\ndependencies = [' '{},' $']\n' $((8 * mib - 4096))
measure "check: 8 MiB uv.lock of dependencies=[{},...]" "$bin" check "$d"

d=$work/flow-workflow
mkdir -p "$d/.github/workflows"
repeat "$d/.github/workflows/build.yml" $'on: push\njobs: {j: {runs-on: x, steps: [' '{run: a},' $']}}\n' $((8 * mib - 4096))
measure "check: 8 MiB flow-style workflow" "$bin" check "$d"

d=$work/flow-condalock
mkdir -p "$d"
repeat "$d/conda-lock.yml" $'version: 1\nmetadata: {}\npackage: [' 'a,' $']\n' $((2 * mib - 64))
measure "check: 2 MiB flow-style conda-lock.yml" "$bin" check "$d"

condalock "$work/before.yml" $((63 * 1000 * 1000))
sed 's/version: 1.0.1$/version: 1.0.2/' "$work/before.yml" >"$work/after.yml"
measure "diff: two 63 MB conda-lock.yml" "$bin" diff "$work/before.yml" "$work/after.yml"
condalock "$work/before.yml" $((31 * 1000 * 1000))
condalock "$work/after.yml" $((1 * 1000 * 1000))
measure "diff: 31 MB and 1 MB conda-lock.yml" "$bin" diff "$work/before.yml" "$work/after.yml"
condalock "$work/before.yml" $((16 * 1000 * 1000))
sed 's/version: 1.0.1$/version: 1.0.2/' "$work/before.yml" >"$work/after.yml"
measure "diff: two 16 MB conda-lock.yml" "$bin" diff "$work/before.yml" "$work/after.yml"
rm -f "$work/before.yml" "$work/after.yml"

d=$work/huge
mkdir -p "$d"
head -c $((65 * mib)) /dev/zero | tr '\0' 'x' >"$d/conda-lock.yml"
measure "check: one 65 MiB conda-lock.yml" "$bin" check "$d"
