#!/usr/bin/env python3
"""check_corpus - edigate validate --envelope over every file of ../shared/corpus.

Skips (exit 0 with a SKIP line) when the corpus is not there.  For each
file: no crash (exit 0 or 65 only, no sanitizer report); a file whose row
in ANALYSIS.tsv lists no envelope error must be valid, unless it is in
DISAGREE below with the reason edigate rejects it; every envelope error
ANALYSIS.tsv lists must be reported with the matching code.  Prints a
table of what was found.
"""
import json
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.environ.get("EDI_CORPUS", os.path.join(TOP, "..", "shared", "corpus"))

# Files ANALYSIS.tsv calls clean that edigate rejects, and why (real defects).
DISAGREE = {
    "850/botsplugins__850-004010-02.x12": "gs06-duplicate,st02-duplicate",
    "850/botsplugins__850-004010.17.x12": "gs06-duplicate,st02-duplicate",
    "mixed/botsplugins-x122xml__mailbag01.x12": "gs06-duplicate,st02-duplicate",
    "850/x12types__850_test__parse_850_1.x12": "isa07",
    "850/x12types__850_test__parse_850_2.x12": "isa07",
    "850/x12types__850_test__parse_850_3.x12": "isa07",
    "856/botsplugins-partners__frompartner1_topartner1_1.x12": "isa05,isa07",
}

# ANALYSIS.tsv wording -> edigate code
KINDS = [
    ("no ISA header", "no-isa"),
    ("SE01=", "se-count"),
    ("SE02 ", "se-control"),
    ("GE01=", "ge-count"),
    ("GE02 ", "ge-control"),
    ("IEA01=", "iea-count"),
    ("IEA02 ", "iea-control"),
]


def main():
    edigate = sys.argv[1]
    if not os.path.isdir(CORPUS):
        print("SKIP corpus check: %s does not exist" % CORPUS)
        return 0
    rows = {}
    with open(os.path.join(CORPUS, "ANALYSIS.tsv"), encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            cols = line.rstrip("\n").split("\t")
            rows[cols[0]] = dict(zip(head, cols))
    problems = []
    table = []
    files = []
    for dirpath, _, names in os.walk(CORPUS):
        for n in names:
            p = os.path.join(dirpath, n)
            rel = os.path.relpath(p, CORPUS)
            if rel.endswith((".tsv", ".md")) or os.sep + "pairs" + os.sep in os.sep + rel:
                continue
            files.append(rel)
    for rel in sorted(files):
        proc = subprocess.run([edigate, "validate", "--envelope", "--json", os.path.join(CORPUS, rel)],
                              capture_output=True, text=True)
        if proc.returncode not in (0, 65) or "Sanitizer" in proc.stderr or "runtime error" in proc.stderr:
            problems.append("%s: exit %d %s" % (rel, proc.returncode, proc.stderr[-400:]))
            continue
        result = json.loads(proc.stdout)
        codes = sorted({e["code"] for e in result["errors"]})
        listed = rows.get(rel, {}).get("envelope_errors(auto-detected)", "")
        want = sorted({code for text, code in KINDS if text in listed})
        status = "valid" if result["valid"] else "rejected"
        table.append((rel, status, result["sets"], ",".join(codes) or "-"))
        if rel not in rows:
            continue
        missing = [c for c in want if c not in codes]
        if missing:
            problems.append("%s: ANALYSIS lists %s, edigate did not report %s"
                            % (rel, listed, ",".join(missing)))
        if not listed and not result["valid"]:
            why = DISAGREE.get(rel)
            if why is None or sorted(why.split(",")) != codes:
                problems.append("%s: clean per ANALYSIS, edigate reports %s"
                                % (rel, ",".join(codes)))
    width = max(len(r[0]) for r in table)
    for rel, status, nsets, codes in table:
        print("%-*s  %-8s  %3d sets  %s" % (width, rel, status, nsets, codes))
    nvalid = sum(1 for r in table if r[1] == "valid")
    print("NOTE corpus: %d files, %d valid, %d rejected, %d disagreements "
          "with ANALYSIS.tsv explained in tests/corpus/check_corpus.py"
          % (len(table), nvalid, len(table) - nvalid, len(DISAGREE)))
    for p in problems:
        print("PROBLEM " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
