#!/usr/bin/env python3
"""ack_cases - every acknowledgment code edigate emits, one broken file each.

For each case a good fixture (tests/data/golden) is broken in one way; the
test runs `edigate validate --json` and `edigate ack` (997, and 999 where
the case says) on it and checks that
  - the code the case is about is among the errors validate reports, and
  - every error validate reports with an acknowledgment level is in the
    acknowledgment where it belongs: TA1 (TA104 R, TA105) and no group; or
    AK9 (AK901 R, AK905..); or AK2 + AK5 (AK501 R, AK502..); or AK3 with
    the segment's tag and position and AK304; or AK4 under its AK3 with
    the element (and component) position and AK403.
  - a good file is answered with AK5 A and AK9 A, and the counts add up.

usage: ack_cases.py EDIGATE MAPS_DIR DATA_DIR WORK_DIR
"""
import json
import os
import re
import subprocess
import sys

EDIGATE, MAPS, DATA, WORK = sys.argv[1:5]
NOPARTNERS = os.path.join(WORK, "no-partners")
os.makedirs(NOPARTNERS, exist_ok=True)
failures = []


def load(name):
    text = open(os.path.join(DATA, "golden", name)).read()
    return [s.strip("\r\n") for s in text.split("~") if s.strip("\r\n")]


def dump(segs):
    return "~\n".join(segs) + "~\n"


def fix_se(segs):
    """Recount SE01 of every set (cases that break counts skip this)."""
    out, start = [], None
    for s in segs:
        if s.startswith("ST*"):
            start = len(out)
        if s.startswith("SE*") and start is not None:
            f = s.split("*")
            f[1] = str(len(out) - start + 1)
            s = "*".join(f)
        out.append(s)
    return out


def replace(segs, prefix, new, nth=0):
    k = 0
    for i, s in enumerate(segs):
        if s.startswith(prefix):
            if k == nth:
                segs[i] = new(s) if callable(new) else new
                return segs
            k += 1
    raise SystemExit("no segment %s in the fixture" % prefix)


def insert_after(segs, prefix, new):
    for i, s in enumerate(segs):
        if s.startswith(prefix):
            segs.insert(i + 1, new)
            return segs
    raise SystemExit("no segment %s in the fixture" % prefix)


def delete(segs, prefix):
    return [s for s in segs if not s.startswith(prefix)]


def isa_field(segs, n, value):
    f = segs[0].split("*")
    width = len(f[n])
    f[n] = value.ljust(width) if n in (2, 4, 6, 8) else value
    segs[0] = "*".join(f)
    return segs


def el(segs, prefix, n, value, nth=0):
    def change(s):
        f = s.split("*")
        while len(f) <= n:
            f.append("")
        f[n] = value
        return "*".join(f).rstrip("*")
    return replace(segs, prefix, change, nth)


# (name, fixture, level, code, mutation, recount SE, also 999)
CASES = [
    # TA1 (TA105)
    ("ta1-001-control", "850-004010.x12", "TA1", 1,
     lambda s: replace(s, "IEA*", "IEA*1*000004599"), True, False),
    ("ta1-005-isa05", "850-004010.x12", "TA1", 5,
     lambda s: isa_field(s, 5, "Q?"), True, False),
    ("ta1-007-isa07", "850-004010.x12", "TA1", 7,
     lambda s: isa_field(s, 7, "Q?"), True, False),
    ("ta1-006-isa06", "850-004010.x12", "TA1", 6,
     lambda s: isa_field(s, 6, ""), True, False),
    ("ta1-008-isa08", "850-004010.x12", "TA1", 8,
     lambda s: isa_field(s, 8, ""), True, False),
    ("ta1-010-isa01", "850-004010.x12", "TA1", 10,
     lambda s: isa_field(s, 1, "77"), True, False),
    ("ta1-012-isa03", "850-004010.x12", "TA1", 12,
     lambda s: isa_field(s, 3, "77"), True, False),
    ("ta1-017-isa12", "850-004010.x12", "TA1", 17,
     lambda s: isa_field(s, 12, "0040A"), True, False),
    ("ta1-022-structure", "850-004010.x12", "TA1", 22,
     lambda s: s[:3] + [s[0]] + s[3:], True, False),
    ("ta1-024-gs04", "850-004010.x12", "TA1", 24,
     lambda s: el(s, "GS*", 4, "20261341"), True, False),
    ("ta1-014-isa09", "850-004010.x12", "TA1", 14,
     lambda s: isa_field(s, 9, "261399"), True, False),
    ("ta1-015-isa10", "850-004010.x12", "TA1", 15,
     lambda s: isa_field(s, 10, "2599"), True, False),
    ("ta1-018-isa13", "850-004010.x12", "TA1", 18,
     lambda s: replace(isa_field(s, 13, "00000450X"), "IEA*",
                       "IEA*1*00000450X"), True, False),
    ("ta1-019-isa14", "850-004010.x12", "TA1", 19,
     lambda s: isa_field(s, 14, "7"), True, False),
    ("ta1-020-isa15", "850-004010.x12", "TA1", 20,
     lambda s: isa_field(s, 15, "X"), True, False),
    ("ta1-021-iea01", "850-004010.x12", "TA1", 21,
     lambda s: replace(s, "IEA*", "IEA*3*000004501"), True, False),
    ("ta1-023-premature-end", "850-004010.x12", "TA1", 23,
     lambda s: s[:-1], True, False),
    # AK9 (AK905)
    ("ak9-1-gs01", "850-004010.x12", "AK9", 1,
     lambda s: el(s, "GS*", 1, "P"), True, False),
    ("ak9-2-gs08", "850-004010.x12", "AK9", 2,
     lambda s: el(s, "GS*", 8, "4010"), True, False),
    ("ak9-3-ge-missing", "850-004010.x12", "AK9", 3,
     lambda s: [x for x in s if not x.startswith("GE*")], True, False),
    ("ak9-19-gs06-twice", "850-004010.x12", "AK9", 19,
     lambda s: ([s[0]] + s[1:-1] + s[1:-1] +
                ["IEA*2*" + s[-1].split("*")[2]]), True, False),
    ("ak9-4-ge02", "850-004010.x12", "AK9", 4,
     lambda s: replace(s, "GE*", "GE*1*4599"), True, False),
    ("ak9-5-ge01", "850-004010.x12", "AK9", 5,
     lambda s: replace(s, "GE*", "GE*2*4501"), True, False),
    ("ak9-6-gs06", "850-004010.x12", "AK9", 6,
     lambda s: replace(el(s, "GS*", 6, "45X1"), "GE*", "GE*1*45X1"),
     True, False),
    # AK5 (AK502)
    ("ak5-3-se02", "850-004010.x12", "AK5", 3,
     lambda s: el(s, "SE*", 2, "0009"), False, True),
    ("ak5-4-se01", "850-004010.x12", "AK5", 4,
     lambda s: el(s, "SE*", 1, "99"), False, True),
    ("ak5-2-se-missing", "850-004010.x12", "AK5", 2,
     lambda s: [x for x in s if not x.startswith("SE*")], False, False),
    ("ak5-6-st01", "850-004010.x12", "AK5", 6,
     lambda s: el(s, "ST*", 1, "810"), True, False),
    ("ak5-7-st02", "850-004010.x12", "AK5", 7,
     lambda s: el(el(s, "ST*", 2, "01"), "SE*", 2, "01"), True, False),
    ("ak5-23-st02-twice", "850-004010.x12", "AK5", 23,
     lambda s: s[:2] + s[2:-2] + s[2:-2] + s[-2:], True, False),
    ("ak5-1-no-map", "850-004010.x12", "AK5", 1,
     lambda s: el(el(s, "GS*", 1, "PC"), "ST*", 1, "860"), True, False),
    ("ak5-5-balance", "850-004010.x12", "AK5", 5,
     lambda s: el(s, "CTT*", 1, "9"), True, True),
    # AK3 (AK304)
    ("ak3-1-tag", "850-004010.x12", "AK3", 1,
     lambda s: insert_after(s, "BEG*", "b3g*1"), True, True),
    ("ak3-4-loop-max", "850-004010.x12", "AK3", 4,
     lambda s: [x for seg in s for x in
                ([seg] + ["SAC*C*D240"] * 26 if seg.startswith("FOB*")
                 else [seg])],
     True, True),
    ("ak3-3-missing", "850-004010.x12", "AK3", 3,
     lambda s: delete(s, "BEG*"), True, True),
    ("ak3-5-too-many", "850-004010.x12", "AK3", 5,
     lambda s: insert_after(s, "BEG*", "CUR*BY*USD"), True, True),
    ("ak3-7-order", "850-004010.x12", "AK3", 7,
     lambda s: insert_after(delete(s, "CUR*"), "DTM*002", "CUR*BY*USD"),
     True, True),
    ("ak3-6-undefined", "850-004010.x12", "AK3", 6,
     lambda s: insert_after(s, "BEG*", "ZZZ*1"), True, True),
    # AK4 (AK403)
    ("ak4-1-missing", "850-004010.x12", "AK4", 1,
     lambda s: el(s, "BEG*", 3, ""), True, True),
    ("ak4-2-conditional", "850-004010.x12", "AK4", 2,
     lambda s: replace(s, "PER*", "PER*BD*JANE BUYER*TE"), True, True),
    ("ak4-3-too-many", "850-004010.x12", "AK4", 3,
     lambda s: replace(s, "REF*DP", "REF*DP*042*X**1*2*3"), True, True),
    ("ak4-4-too-short", "850-004010.x12", "AK4", 4,
     lambda s: el(s, "N4*", 3, "43"), True, True),
    ("ak4-5-too-long", "850-004010.x12", "AK4", 5,
     lambda s: el(s, "BEG*", 3, "PO-" + "9" * 30), True, True),
    ("ak4-6-character", "850-004010.x12", "AK4", 6,
     lambda s: el(s, "PO1*", 2, "ABC"), True, True),
    ("ak4-7-code", "850-004010.x12", "AK4", 7,
     lambda s: el(s, "BEG*", 1, "99"), True, True),
    ("ak4-8-date", "850-004010.x12", "AK4", 8,
     lambda s: el(s, "DTM*", 2, "20261341"), True, True),
    ("ak4-9-time", "850-004010.x12", "AK4", 9,
     lambda s: el(s, "DTM*", 3, "2561"), True, True),
    ("ak4-10-exclusion", "850-004010.x12", "AK4", 10,
     lambda s: insert_after(s, "CUR*", "MEA*PD*WT*10*LB****AA"),
     True, True),
    ("ak4-13-components", "850-005010.x12", "AK4", 13,
     lambda s: replace(s, "REF*DP", "REF*DP*042**ZZ>1>ZZ>2>ZZ>3>ZZ>4"),
     True, True),
    # a good file
    ("good-850", "850-004010.x12", None, None, lambda s: s, False, True),
    ("good-810-005010", "810-005010.x12", None, None, lambda s: s, False,
     True),
]


def run(args):
    p = subprocess.run([EDIGATE] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def segments(x12):
    if not x12.startswith("ISA"):
        return []
    term = x12[105]
    elem = x12[3]
    return [s.strip("\r\n").split(elem) for s in x12.split(term)
            if s.strip("\r\n")]


def fail(case, msg):
    failures.append("%s: %s" % (case, msg))


def check(name, level, code, errors, ack, kind):
    ak = {"997": ("AK3", "AK4", "AK5"), "999": ("IK3", "IK4", "IK5")}[kind]
    segs = segments(ack)
    tags = [s[0] for s in segs]
    if not segs:
        fail(name, "no acknowledgment: " + ack[:200])
        return
    mine = [e for e in errors if e["ack"]["code"] > 0]
    if name == "ak5-1-no-map":
        # validate passes a set it has no map for (with a warning); the
        # spool and `ack` reject it: AK5 R 1
        errors = mine = [{"ack": {"element": "AK502", "code": 1}}]
    if level and not any(e["ack"]["element"].startswith(level) and
                         e["ack"]["code"] == code for e in mine):
        fail(name, "validate does not report %s code %s: %s" %
             (level, code, [(e["code"], e["ack"]) for e in errors]))
    ta1 = [e for e in mine if e["ack"]["element"] == "TA105"]
    if ta1:
        t = [s for s in segs if s[0] == "TA1"]
        if not t or t[0][4] != "R" or int(t[0][5]) != ta1[0]["ack"]["code"]:
            fail(name, "want TA1 R %03d, got %s" %
                 (ta1[0]["ack"]["code"], t))
        if "GS" in tags:
            fail(name, "a rejected interchange gets no 997")
        return
    ak9s = [s for s in segs if s[0] == "AK9"]
    if not ak9s:
        fail(name, "no AK9 in %s" % ack)
        return
    ak9 = ak9s[0]
    for e in mine:
        elem, c = e["ack"]["element"], str(e["ack"]["code"])
        if elem == "AK905":
            if not any(a[1] == "R" and c in a[5:] for a in ak9s):
                fail(name, "want AK9 R with %s, got %s" % (c, ak9s))
        elif elem == "AK502":
            hit = [s for s in segs if s[0] == ak[2] and s[1] == "R" and
                   c in s[2:]]
            if not hit:
                fail(name, "want %s R with %s" % (ak[2], c))
        elif elem == "AK304":
            hit = [s for s in segs if s[0] == ak[0] and s[1] == e["tag"] and
                   s[2] == str(e["set_position"]) and s[4] == c]
            if not hit:
                fail(name, "want %s*%s*%s**%s in %s" %
                     (ak[0], e["tag"], e["set_position"], c, ack))
        elif elem == "AK403":
            pos = str(e["element"])
            if e.get("component"):
                pos += segments(ack)[0][16][0] + str(e["component"])
            gs = [s for s in segs if s[0] == "GS"][0]
            # AK403 12 and 13 exist from 005010; earlier ones stop at 10
            want = c if gs[8] >= "005" or int(c) <= 10 else "3"
            hit = False
            for i, s in enumerate(segs):
                if s[0] == ak[0] and s[1] == e["tag"] and \
                        s[2] == str(e["set_position"]):
                    j = i + 1
                    while j < len(segs) and segs[j][0] in (ak[1], "CTX"):
                        if segs[j][0] == ak[1] and segs[j][1] == pos and \
                                segs[j][3] == want:
                            hit = True
                        j += 1
            if not hit:
                fail(name, "want %s %s code %s under %s %s/%s in %s" %
                     (ak[1], pos, want, ak[0], e["tag"], e["set_position"],
                      ack))
    if not level:  # a good file
        if ak9[1] != "A" or ak9[2] != ak9[3] or ak9[3] != ak9[4]:
            fail(name, "a good file wants AK9 A n n n, got %s" % ak9)
        if any(s[0] == ak[2] and s[1] != "A" for s in segs):
            fail(name, "a good file wants every %s A" % ak[2])


for name, fixture, level, code, mutate, recount, also999 in CASES:
    segs = mutate(load(fixture))
    if recount:
        segs = fix_se(segs)
    path = os.path.join(WORK, name + ".x12")
    with open(path, "w") as f:
        f.write(dump(segs))
    rc, out, err = run(["validate", "--json", "--maps", MAPS, "--partners",
                        NOPARTNERS, path])
    try:
        errors = json.loads(out)["errors"]
    except ValueError:
        fail(name, "validate --json gave no JSON: " + out + err)
        continue
    for kind in (("997", "999") if also999 else ("997",)):
        rc, ack, err = run(["ack", "--type", kind, "--maps", MAPS,
                            "--partners", NOPARTNERS, path])
        if rc not in (0, 65):
            fail(name, "ack exit %d: %s" % (rc, err))
            continue
        if (rc == 0) != (not level):
            fail(name, "ack exit %d for a %s file" %
                 (rc, "good" if not level else "bad"))
        with open(os.path.join(WORK, "ack"), "w") as f:
            f.write(ack)
        check(name, level, code, errors, ack, kind)
        # the acknowledgment itself passes the envelope checks (unless
        # it must echo the partner's broken id back to it)
        rc, out, err = run(["validate", "--envelope",
                            os.path.join(WORK, "ack")])
        if rc != 0 and name not in ("ta1-005-isa05", "ta1-006-isa06",
                                    "ta1-007-isa07", "ta1-008-isa08"):
            fail(name, "the %s does not pass validate: %s" % (kind, out))

for f in failures:
    print("FAIL", f)
print("%d cases, %d failures" % (len(CASES), len(failures)))
sys.exit(1 if failures else 0)
