"""Sandbox webhook deliveries checked by a second, independent Standard Webhooks
implementation (PyPI `standardwebhooks`, pinned in requirements.txt).

    SANDBOX_URL=http://127.0.0.1:PORT python webhooks.py

Registers a loopback receiver with the sandbox's control API, causes payment, subscription
and refund events through Dodo's API, and verifies every delivery's signature. The last line
is "N passed, N failed" counting deliveries (verified / refused or missing).
"""

import json
import os
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET = "whsec_c2VjcmV0Cg=="
BASE = os.environ["SANDBOX_URL"]
KEY = "sandbox_sk_test"
EXPECTED = {"payment.processing", "payment.succeeded", "refund.succeeded", "subscription.on_hold", "payment.failed"}

verified, refused, seen = [], [], set()
lock = threading.Lock()
verifier = Webhook(SECRET)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            event = verifier.verify(body, headers)
            with lock:
                verified.append(event["type"])
                seen.add(event["type"])
            self.send_response(204)
        except WebhookVerificationError as e:
            with lock:
                refused.append(str(e))
            self.send_response(400)
        self.end_headers()

    def log_message(self, *args):
        pass


def call(method, path, body=None, auth=True):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if auth:
        req.add_header("authorization", f"Bearer {KEY}")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/webhooks"
    call("POST", "/_sandbox/webhooks/endpoints", {"url": url, "secret": SECRET}, auth=False)
    created = call("POST", "/checkouts", {
        "product_cart": [{"product_id": "pdt_demo_course", "quantity": 1}],
        "customer": {"customer_id": "cus_demo_alice"},
        "payment_method_id": "pm_demo_alice_visa",
        "confirm": True,
    })
    call("POST", "/refunds", {"payment_id": created["payment_id"]})
    call("POST", "/_sandbox/subscriptions/sub_demo_alice_basic/hold", {}, auth=False)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with lock:
            if EXPECTED <= seen:
                break
        time.sleep(0.05)
    server.shutdown()
    missing = sorted(EXPECTED - seen)
    for t in sorted(set(verified)):
        print(f"ok - {t} verified by Python standardwebhooks")
    for reason in refused:
        print(f"not ok - refused: {reason}")
    for t in missing:
        print(f"not ok - no verified {t} delivery")
    failed = len(refused) + len(missing)
    print(f"{len(verified)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
