#!/usr/bin/env python3
"""Paced form POSTs to one path of a signed-in session, measuring each request's latency:

    post-latency.py --port 8401 --cookie C --csrf T --path /groups/S/discussions/7/replies --rate 20 --seconds 20

Sends RATE requests a second (one connection, keep-alive) for SECONDS, each a distinct body,
and prints the count, the statuses seen and p50/p90/p99/max in milliseconds as JSON; with
--samples FILE it also appends every latency to FILE. A post/redirect/get answer (303) is a
success. Stdlib only; loopback only."""
import argparse
import http.client
import json
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cookie", required=True)
    parser.add_argument("--csrf", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--samples", help="append each latency (ms) to this file, one a line")
    args = parser.parse_args()
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    latencies, statuses = [], {}
    interval = 1 / args.rate
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < args.seconds:
        due = start + n * interval
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        body = f"body=Paced+reply+{n}+{time.time_ns()}+on+phonics."
        began = time.perf_counter()
        conn.request("POST", args.path, body=body, headers={
            "Cookie": args.cookie, "X-CSRF-Token": args.csrf,
            "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - began) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        n += 1
    if args.samples:
        with open(args.samples, "a") as out:
            out.writelines(f"{value:.3f}\n" for value in latencies)
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 2)

    print(json.dumps({"requests": len(latencies), "statuses": statuses, "p50_ms": pct(0.50),
                      "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": round(latencies[-1], 2)}))


if __name__ == "__main__":
    main()
