#!/usr/bin/env python3
"""Compares two files of latencies (ms, one a line, as post-latency.py --samples writes them):

    compare-latency.py quiet.txt busy.txt

Prints each file's count and p50/p90/p99/max, then the difference of the p99s (second minus
first) with a 95% bootstrap interval: both files resampled with replacement 2,000 times (a fixed
seed, so a rerun prints the same). An interval that holds 0 means the two p99s cannot be told
apart at these sample sizes; an interval below 0 means the second is lower. Stdlib only."""
import random
import sys


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def read(path):
    with open(path) as source:
        return sorted(float(line) for line in source if line.strip())


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare-latency.py FIRST SECOND")
    first, second = read(sys.argv[1]), read(sys.argv[2])
    if not first or not second:
        sys.exit("compare-latency.py: a file holds no latencies")
    for name, values in ((sys.argv[1], first), (sys.argv[2], second)):
        print(f"{name}: n={len(values)} p50 {percentile(values, .5):.2f} p90 {percentile(values, .9):.2f} "
              f"p99 {percentile(values, .99):.2f} max {values[-1]:.2f} ms")
    generator = random.Random(16)
    differences = []
    for _ in range(2000):
        a = sorted(generator.choices(first, k=len(first)))
        b = sorted(generator.choices(second, k=len(second)))
        differences.append(percentile(b, .99) - percentile(a, .99))
    differences.sort()
    observed = percentile(second, .99) - percentile(first, .99)
    print(f"p99 second - first: {observed:+.2f} ms, 95% interval "
          f"[{percentile(differences, .025):+.2f}, {percentile(differences, .975):+.2f}] ms")


if __name__ == "__main__":
    main()
