#!/bin/sh
# Measures the peak memory (VmHWM) of `imagebot serve` on SQLite under the
# webhook traffic of issue 8: 200 concurrent unsigned 25 MB bodies while a
# signed ordinary delivery is timed (flood), then signed 24 MB pull_request
# deliveries with a huge labels array (labels). Each runs against a fresh
# server. Usage: scripts/bench-webhook-memory.sh [flood|labels]...
set -eu
cd "$(dirname "$0")/.."
modes=${*:-flood labels}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
go build -o "$work/imagebot" ./cmd/imagebot
go build -o "$work/webhookload" ./internal/webhookload
openssl genrsa -out "$work/key.pem" 2048 2>/dev/null
secret=bench-webhook-secret-0123456789
port=18089
for mode in $modes; do
	rm -f "$work"/imagebot.db*
	GITHUB_APP_ID=1 GITHUB_APP_PRIVATE_KEY_FILE="$work/key.pem" GITHUB_WEBHOOK_SECRET=$secret \
		GITHUB_API_URL=http://127.0.0.1:1/ IMAGEBOT_LISTEN=127.0.0.1:$port \
		IMAGEBOT_DATABASE_URL="$work/imagebot.db" IMAGEBOT_LOG_LEVEL=error \
		"$work/imagebot" serve 2>"$work/serve.log" &
	pid=$!
	until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.2; done
	case $mode in
	flood) "$work/webhookload" -mode flood -n 200 -size $((25 << 20)) -secret $secret -url "http://127.0.0.1:$port/api/github/webhooks" ;;
	labels) "$work/webhookload" -mode labels -n 4 -size $((24 << 20)) -secret $secret -url "http://127.0.0.1:$port/api/github/webhooks" ;;
	esac
	echo "$mode: imagebot serve peak RSS $(awk '/VmHWM/ {printf "%d MiB", $2/1024}' "/proc/$pid/status")"
	kill "$pid"
	wait "$pid" || true
	pid=
done
