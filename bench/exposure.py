#!/usr/bin/env python3
"""Figures for issue 12, items 2 and 7, against a built `vitrine` binary.

  labels    20,000 unauthenticated requests with random HTTP methods and
            paths; prints RSS before and after and the size of /metrics
            (read from --metrics-url, the main listener by default).
  keyed     100 unauthenticated connections at once, each a POST with an
            Idempotency-Key and a 5 MiB body; prints peak RSS and, on
            PostgreSQL (--psql), the idempotency rows inserted/deleted.

Usage: bench/exposure.py BINARY labels|keyed [--database-url URL]
       [--psql 'psql -h … -U … db'] [--extra 'serve flags']
The server runs on a fresh data dir (SQLite) unless --database-url is set.
"""

import argparse
import os
import random
import shlex
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, args):
    data_dir = tempfile.mkdtemp(prefix="vitrine-exposure-")
    port = free_port()
    cmd = [binary, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data_dir]
    cmd += shlex.split(args.extra or "")
    if args.database_url:
        cmd += ["--database-url", args.database_url]
    env = dict(os.environ, RUST_LOG="warn")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return proc, port, base
        except Exception:
            time.sleep(0.1)
    proc.kill()
    sys.exit("server did not come up")


def exchange(port, request, read=True):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        if read:
            while s.recv(65536):
                pass


def labels(args):
    proc, port, base = start(args.binary, args)
    time.sleep(1)
    before = status_kb(proc.pid, "VmRSS")
    letters = string.ascii_uppercase
    per_thread = 20_000 // 8

    def worker():
        for _ in range(per_thread):
            method = "".join(random.choice(letters) for _ in range(8))
            path = "/" + "".join(random.choice(string.ascii_lowercase) for _ in range(12))
            exchange(port, f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    start_t = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.time() - start_t
    time.sleep(1)
    after = status_kb(proc.pid, "VmRSS")
    metrics_url = args.metrics_url or base + "/metrics"
    try:
        body = urllib.request.urlopen(metrics_url, timeout=60).read()
        size = len(body)
        series = sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))
    except Exception as e:  # the main listener no longer serves it
        size, series = f"unavailable ({e})", "-"
    proc.kill()
    print(f"20000 random-method requests in {took:.1f} s")
    print(f"RSS before {before / 1024:.1f} MiB, after {after / 1024:.1f} MiB")
    print(f"/metrics size {size} bytes, {series} series lines")


def psql(args, sql):
    out = subprocess.run(shlex.split(args.psql) + ["-Atc", sql], capture_output=True, text=True)
    return out.stdout.strip()


def keyed(args):
    proc, port, base = start(args.binary, args)
    time.sleep(1)
    stats = "SELECT n_tup_ins, n_tup_del FROM pg_stat_user_tables WHERE relname = 'idempotency_keys'"
    rows_before = psql(args, stats) if args.psql else None
    before = status_kb(proc.pid, "VmRSS")
    size = 5 * 1024 * 1024
    body = b"{" + b" " * (size - 2) + b"}"
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], status_kb(proc.pid, "VmRSS"))
            time.sleep(0.02)

    def worker(i):
        head = (
            "POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Idempotency-Key: k-{i}\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"
        ).encode()
        try:
            exchange(port, head + body)
        except OSError:
            pass  # the server may answer and close before the whole body is sent

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(0.5)
    done.set()
    sampler.join()
    print(f"RSS before {before / 1024:.1f} MiB, peak during 100 keyed unauthenticated 5 MiB POSTs {peak[0] / 1024:.1f} MiB")
    if args.psql:
        time.sleep(1.5)  # statistics are flushed asynchronously
        print(f"idempotency_keys (inserted, deleted) before {rows_before}, after {psql(args, stats)}")
    proc.kill()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("what", choices=["labels", "keyed"])
    p.add_argument("--database-url")
    p.add_argument("--psql")
    p.add_argument("--metrics-url")
    p.add_argument("--extra")
    args = p.parse_args()
    {"labels": labels, "keyed": keyed}[args.what](args)


if __name__ == "__main__":
    main()
