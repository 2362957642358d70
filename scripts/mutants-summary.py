#!/usr/bin/env python3
"""Per-file counts from scripts/mutants.sh's outcomes (mutants.out/<group>/mutants.out/outcomes.json).
After a rerun with MUTANTS_EXTRA=--iterate, cargo-mutants keeps the first run in
mutants.out.old: the rerun's outcome wins for every mutant it retested. Prints a Markdown table
and the mutants still missed."""
import json, os, sys
from collections import defaultdict

root = os.path.join(os.path.dirname(__file__), "..", "mutants.out")
final = {}
for group in sorted(os.listdir(root)):
    for run in ("mutants.out.old", "mutants.out"):
        p = os.path.join(root, group, run, "outcomes.json")
        if not os.path.exists(p):
            continue
        for o in json.load(open(p))["outcomes"]:
            m = o["scenario"]
            if not isinstance(m, dict) or "Mutant" not in m:
                continue
            final[m["Mutant"]["name"]] = (m["Mutant"]["file"], o["summary"])
kinds = {"CaughtMutant": "caught", "MissedMutant": "missed", "Timeout": "timeout", "Unviable": "unviable"}
per = defaultdict(lambda: defaultdict(int))
for name, (f, s) in final.items():
    per[f][kinds.get(s, s)] += 1
print("| file | caught | missed | timeout | unviable | caught of viable |")
print("|---|---:|---:|---:|---:|---:|")
tot = defaultdict(int)
for f in sorted(per):
    c = per[f]
    viable = c["caught"] + c["missed"] + c["timeout"]
    for k in ("caught", "missed", "timeout", "unviable"):
        tot[k] += c[k]
    pct = 100.0 * (c["caught"] + c["timeout"]) / viable if viable else 100.0
    print(f"| `{f}` | {c['caught']} | {c['missed']} | {c['timeout']} | {c['unviable']} | {pct:.1f} % |")
viable = tot["caught"] + tot["missed"] + tot["timeout"]
pct = 100.0 * (tot["caught"] + tot["timeout"]) / viable if viable else 100.0
print(f"| **all** | {tot['caught']} | {tot['missed']} | {tot['timeout']} | {tot['unviable']} | {pct:.1f} % |")
print()
for name, (f, s) in sorted(final.items()):
    if s == "MissedMutant":
        print(f"- missed: `{name}`")
