#!/usr/bin/env python3
"""`istio-lint serve` end to end: real sockets on 127.0.0.1, fixtures/serve's gateway, a Python
upstream for the clusters --upstream names and the built-in upstream for the others.

Usage: serve_test.py ISTIO_LINT_BINARY SOURCE_DIR
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BINARY, SOURCE = sys.argv[1], sys.argv[2]
FIXTURE = os.path.join(SOURCE, "fixtures", "serve")
C1 = "outbound|80||c1.shop.svc.cluster.local"


class Upstream(BaseHTTPRequestHandler):
    """c1: answers with what it received; /flaky fails twice, /api/fail always, /deadline is slow."""

    protocol_version = "HTTP/1.1"
    calls = {}
    peers = set()
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("content-length", str(len(data)))
        self.send_header("x-upstream", "c1")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_one(self):
        with Upstream.lock:
            Upstream.peers.add(self.client_address[1])
            n = Upstream.calls.get(self.path, 0) + 1
            Upstream.calls[self.path] = n
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.path.startswith("/flaky"):
            return self.answer(503 if n <= 2 else 200, "try %d" % n)
        if self.path.startswith("/api/fail"):
            return self.answer(503, "always")
        if self.path.startswith("/deadline"):
            time.sleep(1.0)
        seen = {"path": self.path, "method": self.command, "body": body,
                "host": self.headers.get("host"), "proto": self.headers.get("x-forwarded-proto")}
        self.answer(200, json.dumps(seen))

    do_GET = do_POST = do_HEAD = handle_one


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # /deadline writes to a connection serve closed at its timeout: expected


class TlsUpstream:
    """tls-a: a TLS server (a self-signed certificate made with the openssl command) answering every
    request on a connection with "tls-a <SNI it saw>"."""

    def __init__(self, workdir):
        cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "1", "-subj", "/CN=tls-a.example.com", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.seen = []
        self.ctx.sni_callback = lambda sock, name, ctx: self.seen.append(name)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.one, args=(conn,), daemon=True).start()

    def one(self, conn):
        try:
            with self.ctx.wrap_socket(conn, server_side=True) as tls:
                data = b""
                while True:
                    chunk = tls.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                    while b"\r\n\r\n" in data:
                        _, data = data.split(b"\r\n\r\n", 1)
                        body = ("tls-a " + (self.seen[-1] if self.seen else "")).encode()
                        tls.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
        except (OSError, ssl.SSLError):
            pass


def start_serve(args, inputs=FIXTURE, gateway="istio-system/public-gw"):
    """Starts serve on `inputs` (fixtures/serve) at `gateway` with `args`; returns the process, its
    banner lines and {listener port: the loopback port it is served on} once it is ready."""
    proc = subprocess.Popen([BINARY, "serve", inputs, "--gateway", gateway, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    banner, ports = [], {}
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        banner.append(line)
        m = re.search(r"listener (\d+) \((?:http|tls passthrough)\) on (?:http://)?127\.0\.0\.1:(\d+)", line)
        if m:
            ports[int(m.group(1))] = int(m.group(2))
        if line.startswith("ready"):
            break
    return proc, banner, ports


def read_until(s, done=lambda got: False):
    """What `s` sends until it closes (or `done(bytes so far)` says enough)."""
    got = b""
    while not done(got):
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    return got


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.upstream = QuietServer(("127.0.0.1", 0), Upstream)
        threading.Thread(target=cls.upstream.serve_forever, daemon=True).start()
        up = cls.upstream.server_address[1]
        cls.closed_port = free_port()  # nothing listens there
        cls.workdir = tempfile.mkdtemp()
        cls.tls = TlsUpstream(cls.workdir) if shutil.which("openssl") else None
        cls.proc, cls.banner, ports = start_serve(
            ["--listen", "8080=0", "--listen", "8443=0",
             "--upstream", "tls-a.shop.svc.cluster.local=127.0.0.1:%d" % (cls.tls.port if cls.tls else cls.closed_port),
             "--upstream", "c1.shop.svc.cluster.local=127.0.0.1:%d" % up,
             "--upstream", "outbound|80||c3.shop.svc.cluster.local=127.0.0.1:%d" % cls.closed_port,
             "--access-log", "--seed", "7"])
        if 8080 not in ports or 8443 not in ports:
            cls.proc.kill()
            raise AssertionError("serve did not open its listeners:\n" + "".join(cls.banner) + cls.proc.stderr.read())
        cls.port, cls.tls_port = ports[8080], ports[8443]
        # The access log goes on arriving on stderr: read it all the time, or serve would block on
        # a full pipe.
        cls.log = []
        cls.log_reader = threading.Thread(target=lambda: cls.log.extend(cls.proc.stderr), daemon=True)
        cls.log_reader.start()

    @classmethod
    def tearDownClass(cls):
        if cls.proc.poll() is None:
            cls.proc.kill()
            cls.proc.wait()
        cls.upstream.shutdown()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def request(self, path, host="shop.example.com", method="GET", body=None, headers=None, conn=None):
        c = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = {"Host": host}
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        if conn is None:
            c.close()
        return r, data

    def test_banner_names_the_listeners(self):
        text = "".join(self.banner)
        self.assertIn("gateway istio-system/public-gw (workload istio-system/istio-ingressgateway)", text)

    def test_builtin_upstream_says_who_it_is(self):
        r, data = self.request("/", headers={"x-drop": "1"})
        self.assertEqual(r.status, 200)
        doc = json.loads(data)
        self.assertEqual(doc["cluster"], "outbound|80||c2.shop.svc.cluster.local")
        self.assertEqual(doc["endpoints"], ["shop/c2"])
        self.assertEqual(doc["request"]["headers"]["host"], "shop.example.com")
        self.assertEqual(r.getheader("x-istio-lint-route"), "rest")

    def test_rewrites_and_header_operations(self):
        r, data = self.request("/v2/a?b=1", headers={"x-drop": "1"})
        doc = json.loads(data)
        self.assertEqual(doc["request"]["path"], "/api/v2/a?b=1")
        self.assertEqual(doc["request"]["headers"]["host"], "c2.internal")
        self.assertEqual(doc["request"]["headers"]["x-route"], "v2")
        self.assertNotIn("x-drop", doc["request"]["headers"])
        self.assertEqual(r.getheader("x-served-by"), "shop-v2")

    def test_local_answers(self):
        r, _ = self.request("/old?q=1")
        self.assertEqual((r.status, r.getheader("location")), (308, "http://shop.example.com/new?q=1"))
        r, data = self.request("/healthz")
        self.assertEqual((r.status, data), (200, b"ok\n"))
        r, data = self.request("/teapot")
        self.assertEqual((r.status, data), (418, b"fault filter abort"))
        r, _ = self.request("/", host="unknown.example.com")
        self.assertEqual((r.status, r.getheader("x-istio-lint-flags")), (404, "NR"))

    def test_forwarded_to_a_real_upstream_over_kept_alive_connections(self):
        before = len(Upstream.peers)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        for i in range(5):
            r, data = self.request("/api/items/%d" % i, conn=conn)
            self.assertEqual(r.status, 200)
            self.assertEqual(r.getheader("x-upstream"), "c1")
            seen = json.loads(data)
            self.assertEqual(seen["path"], "/api/items/%d" % i)
            self.assertEqual(seen["host"], "shop.example.com")
            self.assertEqual(seen["proto"], "http")
        conn.close()
        # One upstream connection carried the five requests (at most one more if a test ran beside).
        self.assertLessEqual(len(Upstream.peers) - before, 1)

    def test_connection_close(self):
        # The request asks for the connection to close: the forward completes first.
        for path in ("/api/closing", "/", "/deadline"):
            with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
                s.sendall(("GET %s HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n" % path).encode())
                got = read_until(s)
            self.assertRegex(got, rb"^HTTP/1\.1 (200|504) ", path)
            self.assertIn(b"connection: close\r\n", got)

    def test_many_short_connections_at_once(self):
        # Connections opened and closed fast on both listeners: none is lost (a closed connection's
        # object must not take a new connection's place within one batch of events).
        failures = []

        def one_thread(n):
            for i in range(40):
                try:
                    r, _ = self.request("/api/burst/%d" % (n * 100 + i) if i % 2 else "/",
                                        headers={"Connection": "close"})
                    if r.status != 200:
                        failures.append(r.status)
                    if self.tls is not None and i % 8 == 0:
                        if not self.tls_request("tls-a.example.com")[0].startswith(b"HTTP/1.1 200"):
                            failures.append("tls")
                except (OSError, ssl.SSLError, http.client.HTTPException) as e:
                    failures.append(repr(e))

        threads = [threading.Thread(target=one_thread, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])

    def test_a_client_that_pipelines_without_reading(self):
        # 300k pipelined requests (15 MB) from a client that reads nothing for a while: serve stops
        # reading it once a megabyte of answers waits, so its memory stays bounded (reading it all
        # grew serve by ~40 MiB); then every answer comes. A serve of its own, without the log.
        proc, _, ports = start_serve(["--listen", "8080=0"])
        try:
            self.assertIn(8080, ports)
            port = ports[8080]

            def rss_kib():
                with open("/proc/%d/status" % proc.pid) as f:
                    return int(next(l for l in f if l.startswith("VmRSS:")).split()[1])

            n = 300000
            request = b"GET /healthz HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"
            before = rss_kib()
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                sender = threading.Thread(target=lambda: s.sendall(request * n), daemon=True)
                sender.start()
                time.sleep(1.0)
                grown = rss_kib() - before
                # Every answer is the same: n of them is n times the first one's length.
                data = bytearray()
                while data.count(b"HTTP/1.1 200 OK", 0, 4096) < 2:
                    data += s.recv(1 << 16)
                size = data.find(b"HTTP/1.1 200 OK", 1)
                while len(data) < n * size:
                    chunk = s.recv(1 << 20)
                    if not chunk:
                        break
                    data += chunk
                sender.join(timeout=30)
            self.assertEqual(len(data), n * size)
            self.assertEqual(data.count(b"HTTP/1.1 200 OK\r\n"), n)
            if os.environ.get("ISTIO_LINT_SANITIZED") != "1":  # ASan's quarantine keeps freed memory
                self.assertLess(grown, 12 * 1024, "serve grew by %d KiB while the client did not read" % grown)
        finally:
            proc.kill()
            proc.wait()

    def test_an_ingress_is_served_at_the_gateway_istiod_generates(self):
        ingress = os.path.join(SOURCE, "fixtures", "gateway", "CertificateHostMismatchAnalyzer",
                               "good_ingress_hosts_covered.yaml")
        proc, banner, ports = start_serve(["--listen", "80=0"], inputs=ingress, gateway="shop/storefront")
        try:
            self.assertIn(80, ports, "".join(banner))
            self.assertIn("gateway shop/storefront (workload istio-system/istio-ingressgateway)", "".join(banner))
            # The Ingress's rule routes shop.example.com to Service web, which selects no workload
            # in the file: Envoy's 503 UH, on the Ingress's cluster. Other hosts have no route.
            c = http.client.HTTPConnection("127.0.0.1", ports[80], timeout=10)
            for host, status, cluster in (("shop.example.com", 503, "outbound|80||web.shop.svc.cluster.local"),
                                          ("other.example.com", 404, None)):
                c.request("GET", "/", headers={"Host": host})
                r = c.getresponse()
                r.read()
                self.assertEqual((r.status, r.getheader("x-istio-lint-cluster")), (status, cluster), host)
            c.close()
        finally:
            proc.kill()
            proc.wait()

    def test_post_body_and_head(self):
        r, data = self.request("/api/post", method="POST", body=b"hello")
        self.assertEqual(json.loads(data)["body"], "hello")
        r, data = self.request("/api/head", method="HEAD")
        self.assertEqual((r.status, data), (200, b""))

    def test_retries(self):
        # retries: {attempts: 2, retryOn: 5xx}: two 503s, then 200.
        r, data = self.request("/flaky/1")
        self.assertEqual((r.status, data), (200, b"try 3"))
        # No `retries`: Istio's default, 2 retries on 503; the last 503 goes to the client.
        r, _ = self.request("/api/fail")
        self.assertEqual(r.status, 503)
        self.assertEqual(Upstream.calls["/api/fail"], 3)

    def test_timeout_and_delay(self):
        start = time.time()
        r, data = self.request("/deadline")
        took = time.time() - start
        self.assertEqual((r.status, data), (504, b"upstream request timeout"))
        self.assertLess(took, 0.9)
        start = time.time()
        r, _ = self.request("/slow")
        self.assertEqual(r.status, 200)
        self.assertGreaterEqual(time.time() - start, 0.29)

    def test_connect_failure(self):
        r, data = self.request("/down")
        self.assertEqual(r.status, 503)
        self.assertIn(b"connection failure", data)
        self.assertEqual(r.getheader("x-istio-lint-flags"), "UF")

    def test_pipelined_requests_and_a_bad_one(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"GET /nope HTTP/1.1\r\nHost: nowhere\r\n\r\n"
                      b"GET /healthz HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"
                      b"NOT HTTP AT ALL\r\n\r\n")
            got = read_until(s)
        statuses = re.findall(rb"^HTTP/1\.1 (\d+)", got, re.M)
        self.assertEqual(statuses, [b"404", b"200", b"400"])
        self.assertIn(b"connection: close", got)
        # The answer to the bad request names no route: nothing of the request before carries over.
        bad = got[got.rindex(b"HTTP/1.1 400"):]
        self.assertNotIn(b"x-istio-lint-route", bad)
        self.assertIn(b"x-istio-lint-flags: DPE", bad)

    def test_expect_100_continue(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"POST /api/upload HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: 5\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            self.assertEqual(s.recv(65536), b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(b"hello")
            got = read_until(s, lambda got: b"}" in got)
        self.assertTrue(got.startswith(b"HTTP/1.1 200 OK"), got)
        self.assertEqual(json.loads(got.split(b"\r\n\r\n", 1)[1])["body"], "hello")

    def tls_request(self, sni, requests=1):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        answers = []
        with socket.create_connection(("127.0.0.1", self.tls_port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname=sni) as s:
                for _ in range(requests):
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    answers.append(read_until(s, lambda got: re.search(rb"tls-a \S+$", got)))
        return answers

    def test_tls_passthrough_by_sni(self):
        if self.tls is None:
            self.skipTest("the openssl command is not installed")
        # The upstream terminates TLS and sees the client's SNI: serve only relayed the bytes.
        answers = self.tls_request("tls-a.example.com", requests=3)
        self.assertEqual(len(answers), 3)
        for a in answers:
            self.assertTrue(a.startswith(b"HTTP/1.1 200 OK"), a)
            self.assertTrue(a.endswith(b"tls-a tls-a.example.com"), a)
        # An SNI no chain takes, and one whose cluster has no --upstream: the connection closes.
        for sni in ("unknown.example.org", "db.corp.internal"):
            with self.assertRaises((ssl.SSLError, OSError, ConnectionError)):
                self.tls_request(sni)
        # Not TLS at all on the TLS port: closed.
        with socket.create_connection(("127.0.0.1", self.tls_port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(s.recv(100), b"")

    def test_zz_stop_and_replay_the_access_log(self):
        # Runs last (zz): SIGTERM ends serve with 0; its access log replays to the same clusters.
        self.request("/api/replayed")
        self.request("/")
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)
        self.log_reader.join(timeout=10)
        err = "".join(self.log)
        self.assertEqual(self.proc.returncode, 0, err[-2000:])
        log = [l for l in err.splitlines() if l.startswith("[")]
        self.assertTrue(any('"GET /api/replayed HTTP/1.1" 200' in l and C1 in l for l in log), "\n".join(log))
        if self.tls is not None:
            # The passthrough connections: Envoy's tcp_proxy line, with the cluster and the SNI.
            self.assertTrue(any(l.split("] ", 1)[1].startswith('"- - -" 0 - - ') and
                                "outbound|443||tls-a.shop.svc.cluster.local" in l and
                                l.endswith(" tls-a.example.com -") for l in log), "\n".join(log))
            self.assertTrue(any('"- - -" 0 NR filter_chain_not_found' in l and "unknown.example.org" in l
                                for l in log), "\n".join(log))
        # Not the retried and split requests: which cluster they logged depends on the draw.
        replayed = [l for l in log if "/flaky" not in l and "/split" not in l]
        replay = subprocess.run(
            [BINARY, "replay", FIXTURE, "--traffic", "-", "--format", "log", "--gateway", "istio-system/public-gw",
             "--random-value", "0", "-o", "jsonl"],
            input="\n".join(replayed) + "\n", capture_output=True, text=True, timeout=60)
        self.assertEqual(replay.returncode, 0, replay.stdout + replay.stderr)
        outcomes = [json.loads(l) for l in replay.stdout.splitlines() if l.strip()]
        # Every line is a request replay can use, and where serve logged a cluster, replay decides
        # the same one (replay reports a difference but does not fail on it, so it is checked here).
        self.assertEqual(len(outcomes), len(replayed), replay.stderr)
        logged = [o for o in outcomes if o.get("logged_cluster")]
        self.assertTrue(any(o["logged_cluster"] == C1 for o in logged), outcomes)
        for o in logged:
            self.assertEqual(o["cluster"], o["logged_cluster"], o)

if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
