#!/usr/bin/env python3
"""same-outputs-compare.py A B: compares two output folders of same-outputs-run.sh. Every report.json (minus
timings, the command line and provenance class names) and every scores.csv must be equal to the bit; report.md lines
that differ in more than timings are counted. Exit code 1 when anything differs."""
import json, glob, os, sys, re
A, B = sys.argv[1], sys.argv[2]
SKIP = re.compile(r'^command$|seconds|_ns_|minutes|time|class|provenance|marshalled|object-name|configuration|^value$|^additional$|^key$')
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if not SKIP.search(k)}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
def diff(a, b, p, out):
    if type(a) != type(b): out.append(f'{p}: {a!r} vs {b!r}'); return
    if isinstance(a, dict):
        for k in set(a) | set(b):
            if k not in a or k not in b: out.append(f'{p}/{k}: only in one'); continue
            diff(a[k], b[k], p + '/' + k, out)
    elif isinstance(a, list):
        if len(a) != len(b): out.append(f'{p}: len {len(a)} vs {len(b)}'); return
        for i, (x, y) in enumerate(zip(a, b)): diff(x, y, f'{p}[{i}]', out)
    elif a != b: out.append(f'{p}: {a!r} vs {b!r}')
bad = 0
for f in sorted(glob.glob(A + '/*/report.json')):
    g = B + f[len(A):]
    if not os.path.exists(g): print('MISSING', g); bad += 1; continue
    out = []
    diff(strip(json.load(open(f))), strip(json.load(open(g))), '', out)
    print(('SAME ' if not out else 'DIFF ') + f[len(A) + 1:]); bad += bool(out)
    for line in out[:15]: print('   ', line)
for f in sorted(glob.glob(A + '/*/scores.csv')):
    g = B + f[len(A):]
    same = os.path.exists(g) and open(f).read() == open(g).read()
    print(('SAME ' if same else 'DIFF ') + f[len(A) + 1:]); bad += not same
for f in sorted(glob.glob(A + '/*/report.md')):
    g = B + f[len(A):]
    la = [l for l in open(f) if not re.search(r'second|[0-9] s\b|ms\b|minutes|µs|/s\b', l)]
    lb = [l for l in open(g) if not re.search(r'second|[0-9] s\b|ms\b|minutes|µs|/s\b', l)] if os.path.exists(g) else []
    if la != lb:
        print('MD-DIFF', f[len(A)+1:], sum(1 for x, y in zip(la, lb) if x != y), 'lines')
sys.exit(1 if bad else 0)
