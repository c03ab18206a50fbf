#!/usr/bin/env bash
# Builds the Lambda package: the sluice binary as a fully static executable named `bootstrap` (the entry
# point of a provided.al2023 custom runtime), zipped as deploy/build/sluice-lambda.zip.
#
# Fully static (-static-executable) because a binary linked against this machine's glibc does not load
# on Amazon Linux 2023 (glibc 2.34); static glibc still resolves names through /etc/hosts and DNS.
#
# It builds for the machine it runs on. The template deploys arm64 by default: run this script on an
# arm64 Linux machine (a Graviton instance, or `docker run --platform linux/arm64 swift:6.3` with the
# checkout mounted), or deploy the x86_64 build with --parameter-overrides Architecture=x86_64.
#
# Usage: deploy/build.sh            (SLUICE_STATIC_BUILD_PATH overrides the scratch folder, default .build-static)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${SLUICE_STATIC_BUILD_PATH:-$root/.build-static}"
out="$root/deploy/build"
case "$(uname -m)" in
    x86_64) architecture=x86_64 ;;
    aarch64 | arm64) architecture=arm64 ;;
    *) echo "deploy/build.sh: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

for tool in swift strip zip; do
    command -v "$tool" > /dev/null || { echo "deploy/build.sh: $tool is not installed" >&2; exit 1; }
done

cd "$root"
swift build -c release --product sluice --scratch-path "$scratch" \
    --static-swift-stdlib -Xswiftc -static-executable -Xlinker --gc-sections

mkdir -p "$out"
rm -f "$out/bootstrap" "$out/sluice-lambda.zip"
strip -o "$out/bootstrap" "$scratch/release/sluice"
# The loader's path (PT_INTERP) is what a dynamically linked binary needs; a static one has none.
if readelf -l "$out/bootstrap" 2> /dev/null | grep -q "Requesting program interpreter"; then
    echo "deploy/build.sh: $out/bootstrap is not statically linked" >&2
    exit 1
fi
(cd "$out" && zip -q -X sluice-lambda.zip bootstrap)
echo "$architecture" > "$out/ARCHITECTURE"

size() { stat -c %s "$1" | awk '{ printf "%.1f MiB", $1 / 1048576 }'; }
echo "built $out/bootstrap ($(size "$out/bootstrap"), static, $architecture)"
echo "built $out/sluice-lambda.zip ($(size "$out/sluice-lambda.zip"))"
echo "deploy: sam deploy --template-file deploy/template.yaml --stack-name sluice --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND \\"
echo "          --resolve-s3 --parameter-overrides Architecture=$architecture CollectorEndpoint=https://collector.example.com"
