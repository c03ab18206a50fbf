#!/usr/bin/env bash
# Cold start and per-invocation overhead of the static `bootstrap` under the Runtime Interface Emulator,
# on the typical mixed payload (Fixtures/benchmark/mixed-250k.json). Builds deploy/build/bootstrap first
# when it is missing. Usage: scripts/bench-lambda.sh [COLD_STARTS] [WARM_INVOCATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x deploy/build/bootstrap ] || deploy/build.sh
exec python3 scripts/bench_lambda.py deploy/build/bootstrap Fixtures/benchmark/mixed-250k.json "$@"
