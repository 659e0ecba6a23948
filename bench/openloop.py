"""Open-loop HTTP load at a constant rate, for latency at a given throughput.

A closed-loop tool (wrk) waits for an answer before it sends the next request, so a slow answer
delays the requests behind it and is counted once ("coordinated omission").  Here request ``i``
is due at ``start + i / rate`` whatever happened before, and its latency runs from that due time
to the last byte of the answer.  One new connection per request (gunicorn's sync workers close
the connection after each answer anyway).  Only loopback addresses are accepted; the run is
bounded by ``rate * duration`` requests and a timeout per request.

    python -m bench.openloop --port 8000 --path /api/v1/public/lookup/ --sample pairs.csv \\
        --rate 500 --duration 20

prints one JSON object: sent, ok, errors, achieved_rps and latency percentiles in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import sys
from collections import Counter


def build_requests(host: str, port: int, path: str, sample: str | None) -> list[bytes]:
    head = f"Host: {host}:{port}\r\nUser-Agent: bench-openloop\r\nConnection: close\r\n"
    if not sample:
        return [f"GET {path} HTTP/1.1\r\n{head}\r\n".encode()]
    out = []
    with open(sample, encoding="utf-8") as fh:
        for line in fh:
            pinfl, _, born = line.strip().partition(",")
            if pinfl and born:
                body = json.dumps({"pinfl": pinfl, "birth_date": born}, separators=(",", ":")).encode()
                out.append(
                    f"POST {path} HTTP/1.1\r\n{head}Content-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
    if not out:
        raise SystemExit(f"no pairs in {sample}")
    return out


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not sorted_values:
        return None
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


async def load(
    host: str, port: int, requests: list[bytes], rate: float, duration: float, timeout: float, max_inflight: int
) -> dict:
    loop = asyncio.get_running_loop()
    total = int(rate * duration)
    latencies: list[float] = []
    errors: Counter = Counter()
    inflight = 0
    max_seen = 0
    late = 0.0

    async def one(payload: bytes, due: float) -> None:
        nonlocal inflight, max_seen
        inflight += 1
        max_seen = max(max_seen, inflight)
        writer = None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port)
                writer.write(payload)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = None
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length is None:
                    await reader.read()
                elif length:
                    await reader.readexactly(length)
            done = loop.time()
            if status == 200:
                latencies.append(done - due)
            else:
                errors[f"http_{status}"] += 1
        except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError) as exc:
            errors[type(exc).__name__] += 1
        finally:
            inflight -= 1
            if writer is not None:
                writer.close()

    tasks = []
    start = loop.time() + 0.05
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            late = max(late, -delay)
        if inflight >= max_inflight:
            errors["dropped_too_many_in_flight"] += 1
            continue
        tasks.append(asyncio.create_task(one(requests[i % len(requests)], due)))
    if tasks:
        await asyncio.wait(tasks, timeout=timeout + 5)
    elapsed = loop.time() - start
    latencies.sort()
    ms = lambda v: None if v is None else round(v * 1000, 2)  # noqa: E731
    return {
        "rate": rate,
        "duration": duration,
        "sent": len(tasks),
        "ok": len(latencies),
        "errors": dict(errors),
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "max_in_flight": max_seen,
        "max_send_lag_ms": ms(late),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p90_ms": ms(percentile(latencies, 0.90)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "p999_ms": ms(percentile(latencies, 0.999)),
        "max_ms": ms(latencies[-1] if latencies else None),
        "mean_ms": ms(sum(latencies) / len(latencies) if latencies else None),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.openloop", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/v1/public/ping/")
    parser.add_argument("--sample", help="lines 'pinfl,YYYY-MM-DD': POST them as JSON (otherwise GET)")
    parser.add_argument("--rate", type=float, default=500, help="requests per second")
    parser.add_argument("--duration", type=float, default=20, help="seconds (at most 300)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds per request")
    parser.add_argument("--max-in-flight", type=int, default=2000)
    args = parser.parse_args(argv)
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error("only loopback addresses may be loaded")
    if not (0 < args.rate <= 20_000 and 0 < args.duration <= 300):
        parser.error("rate must be in (0, 20000] and duration in (0, 300]")
    requests = build_requests(args.host, args.port, args.path, args.sample)
    result = asyncio.run(load(args.host, args.port, requests, args.rate, args.duration, args.timeout, args.max_in_flight))
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
