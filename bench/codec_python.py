#!/usr/bin/env python3
"""codec_python.py -- decodes bench_codec's own lines with Python's json module and prints its MB/s
next to bench_codec's, measured in the same run (A B A B), as plain lines.

Usage: bench/codec_python.py [BUILD_DIR] [--seconds S] [--rounds N] [--compare BENCH_CODEC]
  BUILD_DIR    where bench_codec is (default: build)
  --seconds S  per measurement (default 1)
  --rounds N   rounds of bench_codec then Python (default 3); the last lines give the medians
               and the best round of each column
  --compare B  a second bench_codec binary (another build, e.g. before a change), run in each
               round too: it prints its own figures for the same lines
The interpreter is the one running this script: `python3 bench/codec_python.py` or
`/usr/bin/python3 bench/codec_python.py`; its version is printed.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

WHAT = ("decode mix", "decode 4-player state")
FILES = {"decode mix": "mix.jsonl", "decode 4-player state": "state.jsonl"}


def usage():
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)


def run_bench(binary, seconds, dump_dir=None):
    """bench_codec's decode figures, {what: MB/s}."""
    cmd = [binary, str(seconds)] + (["--dump", dump_dir] if dump_dir else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    figures = {}
    for line in out.splitlines():
        for what in WHAT:
            if line.startswith(what + " ") and "MB/s" in line:
                words = line.split()
                figures[what] = float(words[words.index("MB/s") - 1])
    return figures


def python_mbps(lines, seconds):
    """MB/s of json.loads over lines (str, without their newline), counted with the newline as
    bench_codec counts them."""
    loads = json.loads
    nbytes = sum(len(line.encode()) + 1 for line in lines)
    rounds = 0
    start = time.perf_counter()
    while True:
        for line in lines:
            loads(line)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return rounds * nbytes / elapsed / 1e6


def main(argv):
    build, seconds, nrounds, compare = "build", 1.0, 3, None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a in ("--seconds", "--rounds", "--compare") and not args:
            usage()
        if a == "--seconds":
            seconds = float(args.pop(0))
        elif a == "--rounds":
            nrounds = int(args.pop(0))
        elif a == "--compare":
            compare = args.pop(0)
        elif a.startswith("-"):
            usage()
        else:
            build = a
    binary = os.path.join(build, "bench_codec")
    if not os.access(binary, os.X_OK):
        print(f"codec_python.py: no {binary}: build first", file=sys.stderr)
        return 2

    load = " ".join(open("/proc/loadavg").read().split()[:3])
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    print(f"# {stamp}, load average {load}; Python {sys.version.split()[0]} "
          f"({sys.executable}); {nrounds} rounds of {seconds:g} s per figure")
    header = f"{'round':<6} {'what':<22} {'bench_codec':>12} {'python json':>12} {'ratio':>6}"
    if compare:
        header += f" {'compare':>12}"
    print(header)
    results = {what: [] for what in WHAT}
    with tempfile.TemporaryDirectory(prefix="codec_python.") as tmp:
        lines = None
        for r in range(1, nrounds + 1):
            c = run_bench(binary, seconds, tmp)
            if lines is None:
                lines = {}
                for what in WHAT:
                    with open(os.path.join(tmp, FILES[what]), encoding="utf-8") as f:
                        lines[what] = f.read().splitlines()
            p = {what: python_mbps(lines[what], seconds) for what in WHAT}
            o = run_bench(compare, seconds) if compare else {}
            for what in WHAT:
                row = (c[what], p[what], o.get(what))
                results[what].append(row)
                text = f"{r:<6} {what:<22} {c[what]:>7.1f} MB/s {p[what]:>7.1f} MB/s " \
                       f"{c[what] / p[what]:>5.2f}x"
                if compare:
                    text += f" {o[what]:>7.1f} MB/s"
                print(text, flush=True)
    # The median of each column (and of the rounds' ratios), and the best round of each column:
    # on a shared machine the best is the one least disturbed by other jobs.
    for label, pick in (("median", statistics.median), ("best", max)):
        for what in WHAT:
            fig = [pick(x[k] for x in results[what]) for k in range(2)]
            ratio = fig[0] / fig[1]
            if pick is statistics.median:
                ratio = statistics.median(x[0] / x[1] for x in results[what])
            text = f"{label:<6} {what:<22} {fig[0]:>7.1f} MB/s {fig[1]:>7.1f} MB/s " \
                   f"{ratio:>5.2f}x"
            if compare:
                text += f" {pick(x[2] for x in results[what]):>7.1f} MB/s"
            print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
