#!/usr/bin/env bash
# Ingest throughput of `sluice serve` under wrk (Debian's wrk), over 4 connections for DURATION, into SQLite
# and, when PostgreSQL 15 is installed, into a PostgreSQL started here on a loopback port:
# - events/s: the typical mixed payload (1698 events, 1 MB inflated) posted to /v1/cloudwatch-logs;
# - spans/s: the OTLP traces request Sluice itself sends for that payload (captured from `sluice replay --to`,
#   uncompressed protobuf) posted to /v1/traces.
# After the first request every item is a duplicate: the figures are for decoding, recognising and the
# store's idempotent writes.
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

# The traces request: what `sluice replay --to` sends, caught by a collector that keeps request bodies.
cat > "$work/capture.py" <<'PY'
import http.server, sys
class Capture(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        # Concatenated requests of one message type parse as one request holding all their items.
        with open(sys.argv[2] + self.path.replace("/", "_") + ".bin", "ab") as f:
            f.write(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Capture).serve_forever()
PY
capture_port=55431
python3 "$work/capture.py" $capture_port "$work/captured" &
pids+=($!)
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$capture_port/" 2>/dev/null && break; sleep 0.1; done
OTEL_EXPORTER_OTLP_COMPRESSION=none "$sluice" replay --no-store --to "http://127.0.0.1:$capture_port" "$payload" > /dev/null
traces="$work/captured_v1_traces.bin"
spans=$(python3 -c "
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
r = ExportTraceServiceRequest(); r.ParseFromString(open('$traces', 'rb').read())
print(sum(len(s.spans) for rs in r.resource_spans for s in rs.scope_spans))")
cat > "$work/traces.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-protobuf"
local f = io.open("$traces", "rb"); wrk.body = f:read("*a"); f:close()
LUA

# Requests per second wrk reached; refuses the figure when any answer was not a success.
load() {
    wrk -t2 -c4 -d"$duration" -s "$1" "$2" > "$work/wrk.txt"
    if grep -q "Non-2xx" "$work/wrk.txt"; then
        echo "error: $2 answered failures under load:" >&2
        cat "$work/wrk.txt" >&2
        exit 1
    fi
    awk '/Requests\/sec/ {print $2}' "$work/wrk.txt"
}

run() {
    local store=$1 label=$2
    "$sluice" serve --listen 127.0.0.1:0 --store "$store" 2> "$work/serve.log" &
    pids+=($!)
    for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
    local url; url=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)
    curl -s -X POST --data-binary @"$payload" "$url/v1/cloudwatch-logs" > "$work/first.json"
    local events; events=$(python3 -c "import json; d=json.load(open('$work/first.json')); print(d['events'])")
    local rps; rps=$(load "$work/post.lua" "$url/v1/cloudwatch-logs")
    python3 -c "r=float('$rps'); e=int('$events'); print(f'$label: {r:.1f} payloads/s = {r*e:,.0f} events/s ({e} events per payload)')"
    curl -s -f -X POST -H "Content-Type: application/x-protobuf" --data-binary @"$traces" "$url/v1/traces" > /dev/null
    rps=$(load "$work/traces.lua" "$url/v1/traces")
    python3 -c "r=float('$rps'); s=int('$spans'); print(f'$label: {r:.1f} OTLP trace requests/s = {r*s:,.0f} spans/s ({s} spans per request)')"
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
