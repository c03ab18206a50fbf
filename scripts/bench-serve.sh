#!/usr/bin/env bash
# Ingest throughput of `sluice serve` under wrk (Debian's wrk): the typical mixed payload (1698 events,
# 1 MB inflated) posted to /v1/cloudwatch-logs over 4 connections for DURATION, into SQLite and, when
# PostgreSQL 15 is installed, into a PostgreSQL started here on a loopback port. After the first request
# every item is a duplicate: the figure is for decoding, recognising and the store's idempotent writes.
# Usage: scripts/bench-serve.sh [DURATION]   (after `swift build -c release --product sluice`)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
sluice=.build/release/sluice
payload=Fixtures/benchmark/mixed-1m.json
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -d "$work/pg" ] && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
local f = io.open("$payload", "rb"); wrk.body = f:read("*a"); f:close()
LUA

run() {
    local store=$1 label=$2
    "$sluice" serve --listen 127.0.0.1:0 --store "$store" 2> "$work/serve.log" &
    pids+=($!)
    for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
    local url; url=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)
    curl -s -X POST --data-binary @"$payload" "$url/v1/cloudwatch-logs" > "$work/first.json"
    local events; events=$(python3 -c "import json; d=json.load(open('$work/first.json')); print(d['events'])")
    local rps; rps=$(wrk -t2 -c4 -d"$duration" -s "$work/post.lua" "$url/v1/cloudwatch-logs" | awk '/Requests\/sec/ {print $2}')
    python3 -c "r=float('$rps'); e=int('$events'); print(f'$label: {r:.1f} payloads/s = {r*e:,.0f} events/s ({e} events per payload)')"
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
}

run "sqlite:$work/bench.db" "SQLite"
if [ -x /usr/lib/postgresql/15/bin/initdb ] && id postgres >/dev/null 2>&1; then
    mkdir -p "$work/pg" && chown postgres "$work" "$work/pg"
    port=55439
    runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$work/pg/data" -A trust -U postgres --no-sync >/dev/null
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg/data" -l "$work/pg/log" -w \
        -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    runuser -u postgres -- /usr/lib/postgresql/15/bin/createdb -h 127.0.0.1 -p $port -U postgres sluice
    run "postgres://postgres@127.0.0.1:$port/sluice" "PostgreSQL"
fi
