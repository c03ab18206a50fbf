"""Cold start and per-invocation overhead of the Lambda consumer under the AWS Lambda Runtime Interface
Emulator (PyPI aws-sam-cli), on loopback addresses, with a collector that answers 200 at once.

  init      the emulator's INIT REPORT durationMs: from starting `bootstrap` to its first /next call
  duration  the emulator's REPORT Duration of a warm invocation (the whole invocation as Lambda bills it,
            until the consumer asks for the next one)
  pipeline  the consumer's own figures from its EMF line: PipelineDuration (decode, recognise, aggregate)
            plus ExportDuration (OTLP encoding, gzip, the POSTs and the collector's answers): DESIGN.md's
            decode -> recognise -> aggregate -> export, what `sluice replay --to` does outside Lambda too
  overhead  duration - pipeline: what running in Lambda adds (the event from the Runtime API, the EMF line,
            the response, freeing the invocation's data, and the emulator's own work)
  floor     the duration of an invocation that does nothing (an EventBridge event answered "ignored"): the
            emulator's and the Runtime API round trip's share of every invocation

Usage: python3 scripts/bench_lambda.py BOOTSTRAP PAYLOAD [COLD_STARTS] [WARM_INVOCATIONS]"""
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import samcli

bootstrap, payload_path = sys.argv[1], sys.argv[2]
cold_starts = int(sys.argv[3]) if len(sys.argv) > 3 else 15
warm = int(sys.argv[4]) if len(sys.argv) > 4 else 200
idle = max(warm // 4, 10)
rie = os.path.join(os.path.dirname(samcli.__file__), "local", "rapid", "aws-lambda-rie-x86_64")
payload = open(payload_path, "rb").read()


class Sink(asyncio.Protocol):
    """A collector that answers every request 200 as soon as its body is in: an asyncio protocol rather than
    http.server, so the figure is Sluice's time and not the sink's."""

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            length = 0
            for line in self.buffer[:end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


sink_port = free_port()
loop = asyncio.new_event_loop()


def serve():
    asyncio.set_event_loop(loop)
    loop.run_until_complete(loop.create_server(Sink, "127.0.0.1", sink_port))
    loop.run_forever()


threading.Thread(target=serve, daemon=True).start()
time.sleep(0.2)
environment = dict(os.environ, OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{sink_port}", AWS_LAMBDA_FUNCTION_NAME="sluice-bench")


def emulator(log):
    port, api = free_port(), free_port()
    process = subprocess.Popen([rie, "--runtime-interface-emulator-address", f"127.0.0.1:{port}", "--runtime-api-address", f"127.0.0.1:{api}",
                                os.path.abspath(bootstrap)], env=environment, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.02)
    return process, f"http://127.0.0.1:{port}/2015-03-31/functions/function/invocations"


IDLE = json.dumps({"detail-type": "Scheduled Event", "source": "aws.events", "detail": {}}).encode()


def invoke(url, body=payload, expect="forwarded"):
    answer = urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=30).read()
    document = json.loads(answer)
    if document.get("status") != expect:
        sys.exit(f"the consumer answered {answer[:300]!r}")
    return document


def median(values):
    return statistics.median(values)


def p90(values):
    return sorted(values)[int(len(values) * 0.9) - 1]


inits = []
with tempfile.TemporaryDirectory() as folder:
    for i in range(cold_starts):
        path = os.path.join(folder, f"cold-{i}.log")
        with open(path, "w") as log:
            process, url = emulator(log)
            try:
                invoke(url)
            finally:
                process.kill()
                process.wait()
        found = re.findall(r"INIT REPORT\(durationMs: ([0-9.]+)\)", open(path).read())
        inits += [float(v) for v in found]

    path = os.path.join(folder, "warm.log")
    with open(path, "w") as log:
        process, url = emulator(log)
        try:
            document = invoke(url)
            for _ in range(warm):
                invoke(url)
            for _ in range(idle):
                invoke(url, IDLE, "ignored")
        finally:
            process.kill()
            process.wait()
    text = open(path).read()
    reported = [float(v) for v in re.findall(r"REPORT RequestId: \S+\s+(?:Init Duration: [0-9.]+ ms\s+)?Duration: ([0-9.]+) ms", text)]
    durations, floor = reported[1:warm + 1], reported[warm + 1:]
    emf = [json.loads(line) for line in text.splitlines() if line.startswith('{"_aws"')][1:]
    pipeline = [e["PipelineDuration"] for e in emf]
    export = [e["ExportDuration"] for e in emf]

if not inits or len(durations) != warm or len(pipeline) != warm or len(floor) != idle:
    sys.exit(f"could not read the emulator's reports: {len(inits)} inits, {len(durations)} durations, {len(pipeline)} EMF lines")
own = [p + e for p, e in zip(pipeline, export)]
overhead = [d - o for d, o in zip(durations, own)]
with_export = [d - p for d, p in zip(durations, pipeline)]
zipped = os.path.join(os.path.dirname(os.path.abspath(bootstrap)), "sluice-lambda.zip")
print(f"payload {payload_path}: {len(payload)} bytes, {document['events']} events, {document['forwarded']} items forwarded per invocation")
print(f"bootstrap {os.path.getsize(bootstrap) / 1048576:.1f} MiB" + (f", zip {os.path.getsize(zipped) / 1048576:.1f} MiB" if os.path.exists(zipped) else ""))
print(f"init (cold start), {len(inits)} starts:   median {median(inits):.1f} ms   p90 {p90(inits):.1f} ms   (target <= 20 ms)")
print(f"warm invocation, {warm} invocations: median {median(durations):.2f} ms   p90 {p90(durations):.2f} ms")
print(f"  pipeline's own time:            median {median(own):.2f} ms   p90 {p90(own):.2f} ms")
print(f"    decode, recognise, aggregate: median {median(pipeline):.2f} ms   p90 {p90(pipeline):.2f} ms")
print(f"    export (encode, gzip, send):  median {median(export):.2f} ms   p90 {p90(export):.2f} ms")
print(f"  overhead beyond the pipeline:   median {median(overhead):.2f} ms   p90 {p90(overhead):.2f} ms   (target <= 2 ms)")
print(f"  (counting the export as overhead too: median {median(with_export):.2f} ms   p90 {p90(with_export):.2f} ms)")
print(f"emulator floor, {idle} idle invocations: median {median(floor):.2f} ms   p90 {p90(floor):.2f} ms   (an EventBridge event answered \"ignored\")")
