"""Python's loguru doing one logging case of the bench, the way child.js does it for the Node loggers.

python3 test/bench/loguru-child.py <case> <calls> <file>  prints one JSON line (ns, cpuNs, callsNs,
bytes, sample, peakRssKb). run.js uses it only when `python3 -c "import loguru"` succeeds.
"""
import json
import os
import resource
import sys
import time

from loguru import logger

PLAIN_FORMAT = "{time} {level} {message}"


def open_case(case, path):
    logger.remove()
    if case == "plain":
        logger.add(path, format=PLAIN_FORMAT)
    elif case == "default-format":
        logger.add(path, colorize=False)
    elif case == "serialize":
        logger.add(path, serialize=True)
    else:
        raise SystemExit(f"loguru-child.py: no case {case!r}")


def info_hello_world(n):
    for _ in range(n):
        logger.info("hello world")


def count_lines(path):
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def last_line(path):
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - 4096))
        lines = f.read().decode("utf-8", "replace").split("\n")
    return lines[-2] if lines[-1] == "" else lines[-1]


def main():
    case, calls, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if os.path.exists(path):
        os.remove(path)
    open_case(case, path)
    warmup = max(1, min(10_000, calls // 10))
    info_hello_world(warmup)
    cpu_start = time.process_time_ns()
    start = time.perf_counter_ns()
    info_hello_world(calls)
    returned = time.perf_counter_ns()
    logger.remove()  # flushes and closes the file: every line is written
    end = time.perf_counter_ns()
    cpu = time.process_time_ns() - cpu_start
    written = count_lines(path)
    if written != warmup + calls:
        raise SystemExit(f"loguru-child.py: {path} holds {written} lines, expected {warmup + calls}")
    print(json.dumps({
        "case": case, "implementation": "loguru", "calls": calls,
        "ns": end - start, "cpuNs": cpu, "callsNs": returned - start,
        "bytes": os.path.getsize(path), "sample": last_line(path),
        "peakRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


main()
