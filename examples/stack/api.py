"""A tiny JSON API (standard library only) on an ephemeral port; procwire finds the port.

GET /health answers 200 while the data file the migration wrote can be read, else 503.
GET /items answers the items.
"""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(os.environ.get("STACK_DATA", os.path.join(here, "data")), "items.json")


def load():
    with open(data) as source:
        return json.load(source)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            items = load()
        except (OSError, ValueError) as error:
            return self.answer(503, {"error": str(error)})
        if self.path == "/health":
            return self.answer(200, {"ok": True, "items": len(items)})
        if self.path == "/items":
            return self.answer(200, items)
        return self.answer(404, {"error": "not found"})

    def answer(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        print(format % args, flush=True)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"api listening on port {server.server_address[1]}", flush=True)
server.serve_forever()
