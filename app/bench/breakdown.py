#!/usr/bin/env python3
"""Latency breakdown of POST /api/v1/events between two scrapes of /actuator/prometheus.

Usage: breakdown.py BEFORE AFTER. Prints, per phase of leak_realtime_phase_seconds (and leak_events_seconds, the
whole answer), the count, mean and the p50 / p90 / p99 interpolated in the histogram buckets of what happened between
the scrapes; the events per group commit (leak_realtime_batch_events) and the GC pauses (jvm_gc_pause_seconds).
"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def scrape(path):
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith('#'):
                continue
            m = LINE.match(line)
            if not m:
                continue
            labels = tuple(sorted(LABEL.findall(m.group(2) or '')))
            try:
                out[(m.group(1), labels)] = float(m.group(3))
            except ValueError:
                pass
    return out


def diff(a, b):
    return {k: v - a.get(k, 0.0) for k, v in b.items()}


def series(d, name, want):
    """{other labels: {le: count}} for name_bucket, and counts/sums, restricted to labels containing want."""
    buckets = defaultdict(dict)
    counts, sums = {}, {}
    for (n, labels), v in d.items():
        lab = dict(labels)
        if any(lab.get(k) != val for k, val in want.items()):
            continue
        key = tuple((k, x) for k, x in labels if k not in ('le', 'application'))
        if n == name + '_bucket':
            le = lab['le']
            buckets[key][float('inf') if le == '+Inf' else float(le)] = v
        elif n == name + '_count':
            counts[key] = v
        elif n == name + '_sum':
            sums[key] = v
    return buckets, counts, sums


def pct(bs, p):
    edges = sorted(bs)
    total = bs[edges[-1]] if edges else 0
    if total <= 0:
        return float('nan')
    target = p / 100.0 * total
    prev_edge, prev_count = 0.0, 0.0
    for e in edges:
        c = bs[e]
        if c >= target:
            if e == float('inf'):
                return prev_edge
            span = c - prev_count
            frac = 0.0 if span <= 0 else (target - prev_count) / span
            return prev_edge + frac * (e - prev_edge)
        prev_edge, prev_count = e, c
    return prev_edge


def main():
    d = diff(scrape(sys.argv[1]), scrape(sys.argv[2]))
    order = ['validate', 'admit', 'lock_wait', 'decide', 'queued', 'linger', 'statements', 'commit', 'tell', 'cycle', 'wake']
    buckets, counts, sums = series(d, 'leak_realtime_phase_seconds', {})
    if counts:
        print('latency breakdown (ms, between the scrapes; per event unless per group commit):')
        print('  %-12s %9s %9s %9s %9s %9s' % ('phase', 'count', 'mean', 'p50', 'p90', 'p99'))
        rows = sorted(counts, key=lambda k: order.index(dict(k).get('phase')) if dict(k).get('phase') in order else 99)
        for k in rows:
            n = counts[k]
            if n <= 0:
                continue
            bs = buckets[k]
            print('  %-12s %9d %9.2f %9.2f %9.2f %9.2f' % (dict(k).get('phase'), n, 1000 * sums[k] / n,
                  1000 * pct(bs, 50), 1000 * pct(bs, 90), 1000 * pct(bs, 99)))
    b, c, s = series(d, 'leak_events_seconds', {'status': '200'})
    for k in c:
        if c[k] > 0:
            print('  %-12s %9d %9.2f   (leak_events_seconds, status 200: the whole answer in the service)' % ('answer', c[k], 1000 * s[k] / c[k]))
    b, c, s = series(d, 'leak_realtime_batch_events', {})
    for k in c:
        if c[k] > 0:
            print('events per group commit: %d commits, mean %.1f, p50 %.0f, p90 %.0f, p99 %.0f (bucket edges 1,2,4,...,256)'
                  % (c[k], s[k] / c[k], pct(b[k], 50), pct(b[k], 90), pct(b[k], 99)))
    gc_n, gc_s = 0.0, 0.0
    for (n, labels), v in d.items():
        if n == 'jvm_gc_pause_seconds_count':
            gc_n += v
        elif n == 'jvm_gc_pause_seconds_sum':
            gc_s += v
    if gc_n > 0:
        print('GC pauses: %d, %.0f ms in all, mean %.1f ms' % (gc_n, 1000 * gc_s, 1000 * gc_s / gc_n))


if __name__ == '__main__':
    main()
