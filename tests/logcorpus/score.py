#!/usr/bin/env python3
"""Scores the agent's attack detection on the labelled log corpus.

Generates the corpus (gen.py, seed 1) into DIR unless it is there, runs
`sitewarden-agent logs test` over it twice (the pipeline with its events;
then `--mode compare`: the first pass + CRS against the CRS alone on every
line, same process) and prints precision and recall per kind.

Fails (exit 1) when, on this corpus:
  - precision of the flagged lines is below 0.98 (benign traffic flagged),
  - recall against what the CRS alone flags is below 0.95,
  - any CRS detection is missed by the first pass (the promise is zero),
  - a brute-force source gets no bruteforce event.

  score.py --agent BUILD/sitewarden-agent --dir DIR
"""
import argparse
import collections
import json
import os
import subprocess
import sys

PRECISION_MIN = 0.98
CRS_RECALL_MIN = 0.95
SITE = "www.example.gov.cn"
LINE_KINDS = ["sqli", "xss", "traversal", "rfi", "rce", "injection", "scanner", "webshell_access"]


def run(agent, log, *extra):
    p = subprocess.run([agent, "logs", "test", log, "--json", "--site", SITE, *extra],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"logs test failed ({p.returncode}): {p.stderr}")
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--agent", required=True)
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    log = os.path.join(a.dir, "access.log")
    if not os.path.exists(log):
        subprocess.run([sys.executable, os.path.join(here, "gen.py"), "--out", a.dir, "--seed", "1"], check=True)
    labels, ips = {}, {}
    for row in open(os.path.join(a.dir, "labels.tsv"), encoding="utf-8"):
        n, k, ip = row.rstrip("\n").split("\t")
        labels[int(n)] = k
        ips[int(n)] = ip

    pipe = run(a.agent, log)
    pred = {o["line"]: o["kind"] for o in pipe if "line" in o}
    events = [o["event"] for o in pipe if "event" in o]
    cmp = run(a.agent, log, "--mode", "compare")
    crs = {o["line"]: o["crs"] for o in cmp if "line" in o and o["crs"]}
    summary = [o["summary"] for o in cmp if "summary" in o][0]

    count = collections.Counter(labels.values())
    print(f"corpus: {len(labels)} lines, {count['benign']} benign, "
          f"{len(labels) - count['benign']} attack ({', '.join(f'{k} {count[k]}' for k in LINE_KINDS + ['bruteforce'])})")
    print(f"{'kind':16} {'lines':>6} {'detected':>9} {'recall':>7} {'same kind':>9} {'predicted':>9} {'precision':>9}")
    for k in LINE_KINDS:
        lab = [n for n, v in labels.items() if v == k]
        det = [n for n in lab if pred.get(n)]
        same = [n for n in lab if pred.get(n) == k]
        predicted = [n for n, v in pred.items() if v == k]
        prec = sum(1 for n in predicted if labels[n] == k) / len(predicted) if predicted else 1.0
        print(f"{k:16} {len(lab):6} {len(det):9} {len(det) / max(1, len(lab)):7.3f} {len(same):9} {len(predicted):9} {prec:9.3f}")
    flagged = list(pred)
    fp = [n for n in flagged if labels[n] == "benign"]
    precision = 1 - len(fp) / len(flagged) if flagged else 1.0
    attacks = [n for n, v in labels.items() if v in LINE_KINDS]
    recall = sum(1 for n in attacks if pred.get(n)) / len(attacks)
    crs_lines = list(crs)
    crs_recall = sum(1 for n in crs_lines if pred.get(n)) / len(crs_lines) if crs_lines else 1.0
    print(f"all flagged lines: {len(flagged)}, benign among them {len(fp)}: precision {precision:.4f} (min {PRECISION_MIN})")
    print(f"benign lines flagged: {len(fp)} of {count['benign']} ({100 * len(fp) / count['benign']:.2f} %)")
    for n in fp[:10]:
        print(f"  benign flagged as {pred[n]}: line {n}")
    print(f"recall against the labels (line kinds, any kind): {recall:.4f}")
    print(f"recall against the CRS alone: {crs_recall:.4f} (min {CRS_RECALL_MIN}); "
          f"CRS detections {summary['crs_detections']}, missed by the first pass {summary['missed']}")
    print(f"first pass sent {summary['first_pass_sent']} of {summary['lines']} lines to the CRS; "
          f"pipeline {summary['pipeline_lps']:.0f} lines/s, CRS alone {summary['crs_lps']:.0f} lines/s "
          f"({summary['speedup']:.1f}x)")
    # sources that tried at least the agent's default threshold (10 logins)
    tries = collections.Counter(ips[n] for n, v in labels.items() if v == "bruteforce")
    brute_ips = {ip for ip, c in tries.items() if c >= 10}
    brute_ev = {e["source"] for e in events if e["attack"] == "bruteforce"}
    kinds_ev = collections.Counter(e["attack"] for e in events)
    print(f"events: {len(events)} for {len(labels) - count['benign']} attack lines ({dict(kinds_ev)})")
    print(f"brute-force sources with a bruteforce event: {len(brute_ip_hit := brute_ips & brute_ev)} of {len(brute_ips)}")
    bad = []
    if precision < PRECISION_MIN:
        bad.append(f"precision {precision:.4f} < {PRECISION_MIN}")
    if crs_recall < CRS_RECALL_MIN:
        bad.append(f"recall against the CRS {crs_recall:.4f} < {CRS_RECALL_MIN}")
    if summary["missed"]:
        bad.append(f"{summary['missed']} CRS detections missed by the first pass")
    if brute_ip_hit != brute_ips:
        bad.append("a brute-force source without a bruteforce event")
    if bad:
        print("FAIL: " + "; ".join(bad))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
