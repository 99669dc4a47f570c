#!/usr/bin/env python3
"""check_acks - edigate's 997s against the ones bots produced (oracle).

Skips (exit 0 with a SKIP line) when ../shared/corpus is not there.  The
corpus folder pairs/bots-plugins holds inbound 850s and the 997s bots
answered them with.  Each expected 997 is paired with its inbound file by
AK102 (GS06) and the AK202 (ST02) list, and the sender/receiver swap;
`edigate ack` (shipped maps, no partner profile) answers the inbound file
and the two 997s are compared by meaning: AK1 (GS01, GS06), the AK2s
(ST01, ST02), each AK5's AK501, and AK9 (AK901 and the three counts).
Control numbers of the 997s themselves, dates and ISA12 are not compared.

A disagreement fails the check (exit 1, PROBLEM lines) unless the list
below explains it with the reason edigate's answer is the right one.
Prints one line per pair and a closing NOTE line.
"""
import os
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.environ.get("EDI_CORPUS", os.path.join(TOP, "..", "shared", "corpus"))
PAIRS = os.path.join(CORPUS, "pairs", "bots-plugins")

# inbound file -> why edigate's 997 differs from bots', and why edigate is
# right.  bots checks neither the CTT01 line count nor GTIN check digits.
EXPLAINED = {
    "850-004010-04.x12":
        "CTT01 says 1 line item, the set has 5 PO1 segments: X12 defines "
        "CTT01 as the number of line items, so edigate rejects the set "
        "(AK5 R 5); a partner whose CTT01 counts something else switches "
        "the rule off in its profile (rules: {lines: off})",
    "850-004010-06.x12":
        "CTT01 says 1 line item, the set has 6 PO1 segments (as above)",
    "850-004010-02.x12":
        "ST02 000000001 is used twice in group 5 (X12: unique within the "
        "group, AK5 R 23) and GS06 5 twice in the interchange (AK9 19); "
        "bots accepts both",
    "850-004010-05.x12":
        "set 0001 has DTM05 without DTM06, against DTM's syntax note P0506 "
        "(AK4 2): a real defect bots does not check",
    "850-02.x12":
        "PO107 '999999999991' and others are qualified UP (UPC) but fail "
        "the GS1 check digit; edigate rejects the sets (AK4 7); a partner "
        "sending such placeholder codes switches the rule off in its "
        "profile (rules: {gtin: off})",
}


def segments(text):
    text = text.lstrip("\ufeff \r\n")
    if not text.startswith("ISA") or len(text) < 106:
        return []
    elem, term = text[3], text[105]
    if term in "\r\n":
        term = "\n"
    return [s.strip("\r\n ").split(elem) for s in text.split(term)
            if s.strip("\r\n ")]


def meaning(segs):
    """(AK1, [(AK2, AK501)], AK9) of the first 997 group."""
    ak1, sets, ak9, cur = None, [], None, None
    for s in segs:
        if s[0] == "AK1":
            ak1 = (s[1], s[2].lstrip("0") or "0")
        elif s[0] == "AK2":
            cur = [s[1], s[2], None]
            sets.append(cur)
        elif s[0] == "AK5" and cur:
            cur[2] = s[1]
        elif s[0] == "AK9":
            ak9 = tuple(s[1:5])
    return ak1, [tuple(x) for x in sets], ak9


def groups_of(segs):
    """[(GS06, (ST02, ...))] of every group in an inbound file."""
    out, cur = [], None
    for s in segs:
        if s[0] == "GS" and len(s) > 6:
            cur = [s[6].lstrip("0") or "0", []]
            out.append(cur)
        elif s[0] == "ST" and cur and len(s) > 2:
            cur[1].append(s[2])
    return [(g, tuple(sts)) for g, sts in out]


def answers(segs):
    """Every 997 group of an acknowledgment, as meaning()."""
    out, cur = [], None
    for s in segs:
        if s[0] == "ST":
            cur = []
        if cur is not None:
            cur.append(s)
        if s[0] == "SE" and cur is not None:
            out.append(meaning(cur))
            cur = None
    return out


def main():
    if not os.path.isdir(PAIRS):
        print("SKIP corpus not found at %s" % PAIRS)
        return 0
    edigate = sys.argv[1]
    inbound = {}  # (GS06, (ST02...)) -> [file]
    for name in sorted(os.listdir(os.path.join(PAIRS, "inbound"))):
        path = os.path.join(PAIRS, "inbound", name)
        for k in groups_of(segments(open(path, encoding="latin-1").read())):
            inbound.setdefault(k, []).append(path)
    problems, agreed, explained = [], 0, 0
    empty = tempfile.mkdtemp()
    cache = {}
    for name in sorted(os.listdir(os.path.join(PAIRS, "expected_997"))):
        exp = segments(open(os.path.join(PAIRS, "expected_997", name),
                            encoding="latin-1").read())
        # bots answers several groups with one 997 set each, in one file
        for n, (ak1, sets, ak9) in enumerate(answers(exp), 1):
            label = "%s#%d" % (name, n)
            hits = inbound.get((ak1[1], tuple(s[1] for s in sets)), [])
            if not hits:
                problems.append("%s: no inbound group with GS06 %s and "
                                "sets %s" % (label, ak1[1],
                                             [s[1] for s in sets]))
                continue
            src = hits[0]
            if src not in cache:
                cache[src] = subprocess.run(
                    [edigate, "ack", "--maps", os.path.join(TOP, "maps"),
                     "--partners", empty, src], capture_output=True,
                    text=True, encoding="latin-1")
            p = cache[src]
            if p.returncode not in (0, 65) or "Sanitizer" in p.stderr or \
                    "runtime error" in p.stderr:
                problems.append("%s: edigate ack %s exited %d: %s" %
                                (label, os.path.basename(src),
                                 p.returncode, p.stderr[:300]))
                continue
            want = (ak1, sets, ak9)
            mine = [a for a in answers(segments(p.stdout))
                    if a[0] == ak1 and [s[1] for s in a[1]] ==
                    [s[1] for s in sets]]
            got = mine[0] if mine else None
            line = "%-14s %-24s AK1 %s  sets %s  AK9 %s" % (
                label, os.path.basename(src), "/".join(ak1),
                " ".join("%s:%s" % (s[1], s[2]) for s in sets),
                "/".join(ak9))
            if got == want:
                agreed += 1
                print("  same  " + line)
            elif os.path.basename(src) in EXPLAINED:
                explained += 1
                print("  diff  " + line + "\n        edigate: AK5 %s AK9 %s"
                      "\n        why: %s" % (
                          [x[2] for x in got[1]] if got else None,
                          "/".join(got[2]) if got else None,
                          EXPLAINED[os.path.basename(src)]))
            else:
                problems.append("%s (%s): bots %s, edigate %s" %
                                (label, os.path.basename(src), want, got))
    for pr in problems:
        print("PROBLEM " + pr)
    print("NOTE %d groups in %d expected 997 files: %d agree, %d differ "
          "for reasons listed, %d problems" % (
              agreed + explained + len(problems),
              len(os.listdir(os.path.join(PAIRS, "expected_997"))), agreed,
              explained, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
