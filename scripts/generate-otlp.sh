#!/usr/bin/env bash
# Regenerates Sources/SluiceOTLP/Generated from the OpenTelemetry protocol's .proto definitions.
#
# Debian 12 has no opentelemetry-proto package, so the definitions come from PyPI's opentelemetry-proto
# (the same package the tests' receiver is built on): each of its *_pb2 modules embeds its .proto file
# compiled to a FileDescriptorProto. They are gathered into a FileDescriptorSet that protoc reads with
# --descriptor_set_in, and protoc-gen-swift (built from the swift-protobuf version Package.swift names)
# writes the Swift types. Run it again only when moving to another OTLP version; commit its output.
set -euo pipefail
cd "$(dirname "$0")/.."
OTLP_VERSION=1.45.2
SWIFT_PROTOBUF_VERSION=1.39.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v protoc >/dev/null || { echo "protoc is missing: apt-get install protobuf-compiler" >&2; exit 1; }
python3 -m pip install -q "opentelemetry-proto==$OTLP_VERSION"

plugin=${PROTOC_GEN_SWIFT:-}
if [[ -z "$plugin" ]]; then
  git clone -q https://github.com/apple/swift-protobuf "$work/swift-protobuf"
  git -C "$work/swift-protobuf" checkout -q "$SWIFT_PROTOBUF_VERSION"
  swift build -c release --package-path "$work/swift-protobuf" --product protoc-gen-swift
  plugin="$work/swift-protobuf/.build/release/protoc-gen-swift"
fi

files=(
  opentelemetry/proto/common/v1/common.proto
  opentelemetry/proto/resource/v1/resource.proto
  opentelemetry/proto/trace/v1/trace.proto
  opentelemetry/proto/metrics/v1/metrics.proto
  opentelemetry/proto/logs/v1/logs.proto
  opentelemetry/proto/collector/trace/v1/trace_service.proto
  opentelemetry/proto/collector/metrics/v1/metrics_service.proto
  opentelemetry/proto/collector/logs/v1/logs_service.proto
)
python3 - "$work/otlp.pb" "${files[@]}" <<'PY'
import importlib, sys
from google.protobuf import descriptor_pb2
out, names = sys.argv[1], sys.argv[2:]
descriptor_set = descriptor_pb2.FileDescriptorSet()
for name in names:
    module = importlib.import_module(name[:-len(".proto")].replace("/", ".") + "_pb2")
    proto = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(proto)
    descriptor_set.file.append(proto)
open(out, "wb").write(descriptor_set.SerializeToString())
PY

target=Sources/SluiceOTLP/Generated
rm -rf "$target"
mkdir -p "$target"
protoc --plugin=protoc-gen-swift="$plugin" --descriptor_set_in="$work/otlp.pb" \
  --swift_out="$target" --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores "${files[@]}"
echo "generated $(ls "$target" | wc -l) files from opentelemetry-proto $OTLP_VERSION into $target"
