#!/usr/bin/env python3
"""An OTLP/HTTP receiver for Sluice's tests, built on PyPI's opentelemetry-proto.

It parses every request with the official generated classes and checks that re-serialising the parsed
message gives back exactly the bytes Sluice sent (byte for byte). It can be told to misbehave, one
action per request, to exercise the exporter's retries:

    POST /control  {"script": ["503", "429:2", "reset", "slow:1.5", "400", "partial:3", "ok"]}
    GET  /received the requests seen so far, as JSON

Start: otlp_receiver.py --port 0  (prints "PORT <n>" once listening).
"""
import argparse
import gzip
import json
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

SIGNALS = {
    "/v1/traces": (trace_service_pb2.ExportTraceServiceRequest, trace_service_pb2.ExportTraceServiceResponse),
    "/v1/metrics": (metrics_service_pb2.ExportMetricsServiceRequest, metrics_service_pb2.ExportMetricsServiceResponse),
    "/v1/logs": (logs_service_pb2.ExportLogsServiceRequest, logs_service_pb2.ExportLogsServiceResponse),
}

lock = threading.Lock()
script = []
received = []


def count_items(path, message):
    if path == "/v1/traces":
        return sum(len(s.spans) for r in message.resource_spans for s in r.scope_spans)
    if path == "/v1/logs":
        return sum(len(s.log_records) for r in message.resource_logs for s in r.scope_logs)
    total = 0
    for r in message.resource_metrics:
        for s in r.scope_metrics:
            for m in s.metrics:
                kind = m.WhichOneof("data")
                total += len(getattr(m, kind).data_points) if kind else 0
    return total


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/x-protobuf", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/received":
            with lock:
                body = json.dumps(received).encode()
            self.reply(200, body, "application/json")
        else:
            self.reply(404, b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path == "/control":
            with lock:
                script[:] = json.loads(raw)["script"]
                received.clear()
            self.reply(200, b"{}", "application/json")
            return
        if self.path not in SIGNALS:
            self.reply(404, b"")
            return
        with lock:
            action = script.pop(0) if script else "ok"
        request_type, response_type = SIGNALS[self.path]
        body = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
        entry = {"path": self.path, "action": action, "headers": {k.lower(): v for k, v in self.headers.items()}}
        try:
            message = request_type()
            message.ParseFromString(body)
            entry["byte_exact"] = message.SerializeToString() == body
            entry["items"] = count_items(self.path, message)
            entry["message"] = MessageToDict(message)
        except Exception as error:  # a body the official classes cannot parse is a failure the test reads
            entry["byte_exact"] = False
            entry["parse_error"] = str(error)
        with lock:
            received.append(entry)
        if action == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if action.startswith("slow:"):
            time.sleep(float(action.split(":")[1]))
            action = "ok"
        if action == "503":
            self.reply(503, b"unavailable", "text/plain")
        elif action.startswith("429:"):
            self.reply(429, b"slow down", "text/plain", [("Retry-After", action.split(":")[1])])
        elif action == "400":
            self.reply(400, b"bad data: refused for the test", "text/plain")
        elif action.startswith("partial:"):
            response = response_type()
            rejected = int(action.split(":")[1])
            if self.path == "/v1/traces":
                response.partial_success.rejected_spans = rejected
            elif self.path == "/v1/logs":
                response.partial_success.rejected_log_records = rejected
            else:
                response.partial_success.rejected_data_points = rejected
            response.partial_success.error_message = "some items refused for the test"
            self.reply(200, response.SerializeToString())
        else:
            self.reply(200, response_type().SerializeToString())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
