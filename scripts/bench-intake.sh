#!/bin/sh
# Intake benchmark (issue 9): imagebot serve on SQLite, Probot 14 with a
# no-op app, and an HMAC-only Go server (the floor, internal/intakefloor),
# one after the other on loopback, each sent the same real signed
# pull_request.opened delivery (@octokit/webhooks-examples, ~22 KB, with an
# installation) by wrk with 16 connections for $DURATION (default 10s).
# Every request carries a delivery id of its own, a version 1 UUID as
# GitHub's are, so imagebot records each one and inserts its job (the head
# is the same, so River's uniqueness skips all jobs but the first). Both
# servers log at warn. Needs wrk, node and npm (Probot is installed with
# npm into a temporary folder).
# CPU per delivery is the server's user+system CPU time (from /proc) during
# the run divided by the requests wrk completed; wrk shares the machine, so
# its own CPU per delivery is printed too, and "cores busy" is both times
# the rate: how much of the machine's cores the pair kept busy.
# The machine's speed drifts between runs, so the servers are compared
# within each round, and the script ends with each round's ratios and
# their medians. Each round also tells how imagebot's group commits went
# (from its imagebot_webhook_commit_seconds): a commit waits for the
# database log's sync, so when the disk stalls, commits over 10 ms show it
# and imagebot's p99 rises with them.
# Usage: scripts/bench-intake.sh   (DURATION=10s CONNECTIONS=16 THREADS=2 ROUNDS=3 PROBOT_DIR=)
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
rounds=${ROUNDS:-3} # each round runs the three servers one after another
examples=$repo/.cache/npm/octokit-webhooks-examples-7.6.1/api.github.com/index.json
[ -f "$examples" ] || scripts/fetch-npm-fixtures.sh
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
secret=bench-intake-secret-0123456789

go build -o "$work/imagebot" ./cmd/imagebot
go build -o "$work/floor" ./internal/intakefloor
openssl genrsa -out "$work/key.pem" 2048 2>/dev/null
node -e '
const events = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const pr = events.find(e => e.name === "pull_request").examples.find(x => x.action === "opened");
pr.installation = pr.installation || { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
process.stdout.write(JSON.stringify(pr));
' "$examples" >"$work/payload.json"
signature=sha256=$(openssl dgst -sha256 -hmac "$secret" -hex <"$work/payload.json" | sed 's/.*= *//')
cat >"$work/post.lua" <<LUA
local f = io.open("$work/payload.json", "rb")
local body = f:read("*a")
f:close()
local counter = 0
tid = 0 -- a global: thread:set gives each thread its own
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
-- A version 1 UUID, as GitHub's delivery ids are: the timestamp (100 ns
-- since 1582-10-15) is this second's plus the request's number, and the
-- clock sequence and node are the thread's and the request's, so ids never
-- repeat. Split so that doubles keep the low 32 bits exact.
local function delivery_id()
  local secs = os.time() + 12219292800
  local low = ((math.floor(secs / 65536) * 1e7) % 65536 * 65536 + (secs % 65536) * 1e7 + counter) % 4294967296
  local high = math.floor((secs * 1e7 + counter) / 4294967296)
  return string.format("%08x-%04x-1%03x-%04x-%012x", low, high % 65536, math.floor(high / 65536) % 4096, 0x8000 + tid, counter)
end
function request()
  counter = counter + 1
  return wrk.format("POST", "/api/github/webhooks", {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "pull_request",
    ["X-GitHub-Delivery"] = delivery_id(),
    ["X-Hub-Signature-256"] = "$signature",
  }, body)
end
LUA

probot=${PROBOT_DIR:-$work/probot} # PROBOT_DIR reuses a folder where probot@14 is installed
if [ ! -x "$probot/node_modules/.bin/probot" ]; then
	mkdir -p "$probot"
	(cd "$probot" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error probot@14 >/dev/null)
fi
cat >"$probot/app.mjs" <<'JS'
export default (app) => {
  app.on("pull_request", async () => {});
};
JS

wait_ready() { # url
	i=0
	until curl -fsS -o /dev/null "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "bench-intake: $1 never answered" >&2; exit 1; }
		sleep 0.1
	done
}

commits() { # metrics-file: imagebot's group commits during the run, from imagebot_webhook_commit_seconds
	awk '
	/^imagebot_webhook_commit_seconds_bucket\{le="0.01"\}/ { fast = $2 }
	/^imagebot_webhook_commit_seconds_bucket\{le="0.1"\}/ { slow = $2 }
	/^imagebot_webhook_commit_seconds_count/ { n = $2 }
	/^imagebot_webhook_commit_seconds_sum/ { sum = $2 }
	/^imagebot_webhook_deliveries_total\{.*result="accepted"/ { accepted += $2 }
	/^imagebot_webhook_deliveries_total\{.*result="duplicate"/ { duplicates += $2 }
	END {
		if (n == 0) { print "imagebot timed no commit"; exit }
		printf "imagebot: %d accepted, %d duplicates; %d commits of %.1f deliveries on average, %.2f ms each on average; %d took over 10 ms, %d over 100 ms", \
			accepted, duplicates, n, (accepted + duplicates) / n, sum / n * 1000, n - fast, n - slow
	}' "$1"
}

cpu_ticks() { # pid: the user+system clock ticks pid has used
	awk '{print $14 + $15}' "/proc/$1/stat"
}

children_seconds() { # the user+system seconds of the children this shell has waited for (wrk)
	awk 'NR == 2 {gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4}' "$work/times"
}

run() { # round name port [metrics-url]; sets rps and p99, and saves the server's metrics when given their url
	before=$(cpu_ticks "$pid")
	times >"$work/times" # not in $(...): a subshell's times are its own
	wrk_before=$(children_seconds)
	out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/post.lua" "http://127.0.0.1:$3/api/github/webhooks")
	times >"$work/times"
	after=$(cpu_ticks "$pid")
	wrk_after=$(children_seconds)
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	requests=$(echo "$out" | awk '/requests in/ {print $1}')
	non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
	cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.0f", t / hz / n * 1e6}')
	wrk_cpu=$(awk -v t="$wrk_after" -v t0="$wrk_before" -v n="$requests" 'BEGIN {printf "%.0f", (t - t0) / n * 1e6}')
	cores=$(awk -v c="$cpu" -v w="$wrk_cpu" -v r="$rps" 'BEGIN {printf "%.2f", (c + w) * r / 1e6}')
	printf '| %s | %s | %s | %s | %s | %s µs | %s µs | %s | %s |\n' "$1" "$2" "$rps" "$p50" "$p99" "$cpu" "$wrk_cpu" "$cores" "${non2xx:-0}"
	[ -z "${4:-}" ] || curl -fsS "$4" >"$work/metrics"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
}

echo "payload: $(wc -c <"$work/payload.json") bytes; wrk -t$threads -c$connections -d$duration; $rounds rounds"
echo "| round | server | deliveries/s | p50 | p99 | server CPU per delivery | wrk CPU per delivery | cores busy | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|"

ratios=
for round in $(seq "$rounds"); do
	rm -f "$work"/imagebot.db*
	GITHUB_APP_ID=1 GITHUB_APP_PRIVATE_KEY_FILE="$work/key.pem" GITHUB_WEBHOOK_SECRET=$secret \
		GITHUB_API_URL=http://127.0.0.1:1/ IMAGEBOT_LISTEN=127.0.0.1:18090 \
		IMAGEBOT_DATABASE_URL="$work/imagebot.db" IMAGEBOT_LOG_LEVEL=warn \
		"$work/imagebot" serve 2>"$work/imagebot.log" &
	pid=$!
	wait_ready http://127.0.0.1:18090/readyz
	run "$round" "imagebot serve (SQLite)" 18090 http://127.0.0.1:18090/metrics
	imagebot_rps=$rps imagebot_p99=$p99 imagebot_cpu=$((cpu + wrk_cpu))
	commits=$(commits "$work/metrics")

	(cd "$probot" && APP_ID=1 PRIVATE_KEY_PATH="$work/key.pem" WEBHOOK_SECRET=$secret PORT=18092 HOST=127.0.0.1 \
		LOG_LEVEL=warn exec node_modules/.bin/probot run ./app.mjs >"$work/probot.log" 2>&1) &
	pid=$!
	wait_ready http://127.0.0.1:18092/ping
	run "$round" "Probot 14, no-op app" 18092
	probot_rps=$rps probot_p99=$p99

	"$work/floor" -listen 127.0.0.1:18091 -secret $secret &
	pid=$!
	wait_ready http://127.0.0.1:18091/readyz
	run "$round" "HMAC-only Go floor" 18091
	# The most imagebot/Probot could have been with every core busy at
	# imagebot's and wrk's CPU per delivery (see BENCHMARKS.md).
	echo "$imagebot_rps $probot_rps $rps $imagebot_p99 $probot_p99" >>"$work/rounds"
	ratios="$ratios$(awk -v i="$imagebot_rps" -v p="$probot_rps" -v f="$rps" -v r="$round" -v ip="$imagebot_p99" -v pp="$probot_p99" \
		-v c="$imagebot_cpu" -v n="$(getconf _NPROCESSORS_ONLN)" \
		'BEGIN {printf "round %d: imagebot/Probot %.2f (p99 %s against %s; at most %.2f with all %d cores busy), floor/imagebot %.2f\n", r, i / p, ip, pp, n / (c / 1e6 * p), n, f / i}')
  $commits
"
done
echo
printf '%s' "$ratios"
# The machine drifts between rounds: the medians of the rounds' ratios, and
# how many rounds met each part of the goal (2x Probot, a lower p99,
# within 3x of the floor).
awk '
function us(t) { # a wrk latency (12.3ms, 770.00us, 1.2s) in microseconds
	if (t ~ /us$/) return t + 0
	if (t ~ /ms$/) return t * 1000
	return t * 1e6
}
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	n++; byProbot[n] = $1 / $2; byFloor[n] = $3 / $1
	twice += $1 >= 2 * $2; lower += us($4) < us($5); within += $3 <= 3 * $1
}
END {
	printf "median of %d rounds: imagebot/Probot %.2f, floor/imagebot %.2f; 2x Probot in %d, lower p99 in %d, within 3x of the floor in %d\n", \
		n, median(byProbot, n), median(byFloor, n), twice, lower, within
}' "$work/rounds"
