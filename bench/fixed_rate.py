"""Latency at a fixed offered rate, open loop: request i is sent at t0 + i/rate whether or not the
earlier ones have answered, and its latency counts from that planned moment (so a server that
falls behind shows its queue, instead of the client slowing down to match it — the "coordinated
omission" of closed-loop tools such as wrk, hey -q or Locust).

We looked before writing it: wrk2 and vegeta are not in Debian bookworm and no Go toolchain is
here; hey's -q caps each worker's rate but stays closed loop. This is ~60 lines on aiohttp.
Runs in bench/load/.venv (aiohttp is not an app dependency).

    bench/load/.venv/bin/python bench/fixed_rate.py URL --rate 200 --seconds 10 [-H 'Cookie: …']
prints one JSON line: {"rate", "sent", "ok", "errors", "p50", "p95", "p99", "max"} (ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import aiohttp


async def run(url: str, rate: float, seconds: float, headers: dict) -> dict:
    total = int(rate * seconds)
    latencies: list[float] = []
    lags: list[float] = []  # how late the client itself sent (a starved client, not the server)
    errors = 0
    connector = aiohttp.TCPConnector(limit=512, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     headers=headers) as session:
        # Warm the pool so connection set-up is not in the first second's figures.
        await asyncio.gather(*(session.get(url) for _ in range(4)), return_exceptions=True)
        start = time.perf_counter()

        async def one(planned: float) -> None:
            nonlocal errors
            lags.append((time.perf_counter() - planned) * 1000)
            try:
                async with session.get(url, allow_redirects=False) as response:
                    await response.read()
                    if response.status >= 400:
                        errors += 1
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                errors += 1
                return
            latencies.append((time.perf_counter() - planned) * 1000)

        tasks = []
        for i in range(total):
            planned = start + i / rate
            delay = planned - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(planned)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    latencies.sort()
    lags.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 2) \
            if latencies else float("nan")

    return {"rate": rate, "sent": total, "ok": len(latencies), "errors": errors,
            "achieved": round(total / elapsed, 1), "p50": pct(50), "p95": pct(95),
            "p99": pct(99), "max": pct(100),
            "client_lag_p95": round(lags[int(0.95 * (len(lags) - 1))], 2) if lags else 0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("-H", "--header", action="append", default=[])
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    print(json.dumps(asyncio.run(run(args.url, args.rate, args.seconds, headers))))


if __name__ == "__main__":
    main()
