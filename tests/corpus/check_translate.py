#!/usr/bin/env python3
"""check_translate - edigate translate over the real 850/855/856/810 files.

Skips (exit 0 with a SKIP line) when ../shared/corpus is not there.  Runs
`edigate translate --maps <repo>/maps --partners <empty dir>` over every
file of the corpus folders 850/, 855/, 856/, 810/ and mixed/ (the shipped
maps alone, no partner profile) and reads the rejections from stderr:

    FILE: transaction set 850 '0001' at segment 3 rejected (stage validate):
    FILE: segment 7 (PO1), element 7, offset 275: PO107 '...' ... (AK403 7)

Each rejection reason is reduced to a key: the element (PO107) or segment
tag (CSH) it names and its acknowledgment code ("PO107 AK403 7",
"CSH AK304 6"); a file-level error without a code gets "FILE <message>".
Sets rejected by the envelope stage, and accepted sets not written because
their functional group or interchange was rejected, carry the keys of the
file's envelope errors.

It fails (exit 1, PROBLEM lines) when edigate crashes, exits other than 0
or 65 or prints a sanitizer report, or when a set is rejected for a key
that the explicit lists below do not explain for that file and set:

  DEFECTS      real defects of the file against 004010 (005010 for 005010
               files), each with the reason it is a defect;
  NOT_SHIPPED  stage-map rejections of transaction sets edigate ships no
               map for (anything but 850, 855, 856 and 810);
  MAP_LIMITS   reasons that come from a limit of the shipped maps rather
               than from the file, each with the follow-up it needs.

Prints a table (file, sets, accepted, rejected and the reason keys of each
rejected set) and a closing NOTE line.
"""
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.environ.get("EDI_CORPUS", os.path.join(TOP, "..", "shared", "corpus"))
FOLDERS = ("850", "855", "856", "810", "mixed")
SHIPPED = ("850", "855", "856", "810")

PO107_GTIN = "PO107 AK403 7"
ENV = "envelope"

# file -> list of (set control number | "*" | ENV, [keys], why)
DEFECTS = {
    # --- 850 ---
    "850/botsplugins-supplier__850-02.x12": [
        ("*", [PO107_GTIN],
         "PO107 U.P.C.s 999999999991, 999999999992, 999999999994 to "
         "999999999999, 999999999910, 999999999911 (UP) fail the GS1 check "
         "digit: placeholder test data"),
    ],
    "850/botsplugins__850-004010-02.x12": [
        (ENV, ["ST02 AK502 23", "GS06 AK905 19"],
         "interchange '000000005' holds two functional groups with GS06 "
         "'5', each with two sets with ST02 '000000001': control numbers "
         "must be unique (the second group is rejected, so its valid set "
         "is not written)"),
    ],
    "850/botsplugins__850-004010.17.x12": [
        (ENV, ["ST02 AK502 23", "GS06 AK905 19"],
         "same interchange as 850-004010-02 in another layout: two groups "
         "with GS06 '5', each with two sets with ST02 '000000001'"),
    ],
    "mixed/botsplugins-x122xml__mailbag01.x12": [
        (ENV, ["ST02 AK502 23", "GS06 AK905 19"],
         "the 850-004010-02 interchange inside the mailbag: two groups "
         "with GS06 '5', each with two sets with ST02 '000000001'"),
        ("0001", ["DTM06 AK403 2"],
         "DTM*037*19980205***19: DTM05 '19' is the century of the 003xxx "
         "DTM (004010 DTM05 is a date time period format qualifier, and "
         "P0506 needs DTM06), but GS08 says 004010"),
        ("0278", [PO107_GTIN],
         "PO107 U.P.C.s 234567890123 and 456789012345 (UP) fail the GS1 "
         "check digit: test data"),
    ],
    "850/botsplugins__850-004010-03.x12": [
        ("000000101", ["DTM06 AK403 2"],
         "DTM*175*19980615***19: DTM05 '19' is the century of the 003xxx "
         "DTM (004010 DTM05 is a date time period format qualifier, and "
         "P0506 needs DTM06), but GS08 says 004010"),
    ],
    "850/botsplugins__850-004010-04.x12": [
        ("01403001", ["CTT01 AK502 5"],
         "CTT01 says 1 but the set has 5 PO1 lines (004010: CTT01 is the "
         "number of PO1 segments)"),
    ],
    "850/botsplugins__850-004010-05.x12": [
        ("0001", ["DTM06 AK403 2"],
         "DTM*037*19980205***19: DTM05 '19' is a 003xxx century, not a "
         "004010 date time period format qualifier; P0506 needs DTM06 "
         "(GS08 004010)"),
    ],
    "850/botsplugins__850-004010-06.x12": [
        ("000000390", ["CTT01 AK502 5"],
         "CTT01 says 1 but the set has 6 PO1 lines"),
    ],
    "850/botsplugins__850-004010-07.x12": [
        ("0001", ["DTM06 AK403 2"],
         "DTM*037*...***19: DTM05 '19' is a 003xxx century in a 004010 "
         "set; P0506 needs DTM06"),
    ],
    "850/botsplugins__850-004010-08.x12": [
        ("0001", ["DTM06 AK403 2"],
         "DTM*037*...***19: DTM05 '19' is a 003xxx century in a 004010 "
         "set; P0506 needs DTM06"),
    ],
    "850/botsplugins__850-004010-09.x12": [
        ("0001", ["DTM06 AK403 2"],
         "DTM*037*...***19: DTM05 '19' is a 003xxx century in a 004010 "
         "set; P0506 needs DTM06"),
    ],
    "850/botsplugins__850-004010.16.x12": [
        ("0001", ["DTM06 AK403 2"],
         "DTM*037*...***19: DTM05 '19' is a 003xxx century in a 004010 "
         "set; P0506 needs DTM06"),
    ],
    "850/botsplugins__850-004010-ascii-lf.x12": [
        ("0278", [PO107_GTIN],
         "PO107 U.P.C.s 234567890123 and 456789012345 (UP) fail the GS1 "
         "check digit: test data"),
    ],
    "850/botsplugins__850-004010-ascii-st.x12": [
        ("0278", [PO107_GTIN],
         "PO107 U.P.C.s 234567890123 and 456789012345 (UP) fail the GS1 "
         "check digit: test data"),
    ],
    "850/botsplugins__850-004010-ascii1.x12": [
        ("0278", [PO107_GTIN],
         "PO107 U.P.C.s 234567890123 and 456789012345 (UP) fail the GS1 "
         "check digit: test data"),
    ],
    "850/botsplugins__ebcdic.x12": [
        ("0278", [PO107_GTIN],
         "the ascii1 order in EBCDIC: PO107 U.P.C.s 234567890123 and "
         "456789012345 (UP) fail the GS1 check digit"),
    ],
    "850/botsplugins__850-004010.15.x12": [
        ("0004", [PO107_GTIN],
         "PO107 with qualifier UP (U.P.C. consumer package code, 12 digits "
         "with check digit) holds '71711964140' (11 digits), '6305929653' "
         "(10), '717119.837242', 'B000056EWE' (an ASIN) and "
         "'7171197912470' (13 digits)"),
    ],
    "850/x12types__850_test__parse_850_1.x12": [
        (ENV, ["ISA07 TA105 007"],
         "ISA07 'nn' is not an interchange id qualifier (the interchange "
         "is rejected, its valid set is not written)"),
    ],
    "850/x12types__850_test__parse_850_2.x12": [
        (ENV, ["ISA07 TA105 007"],
         "ISA07 'nn' is not an interchange id qualifier"),
    ],
    "850/x12types__850_test__parse_850_3.x12": [
        (ENV, ["ISA07 TA105 007"],
         "ISA07 'nn' is not an interchange id qualifier"),
    ],
    "850/x12types__850_test__parse_850_4.x12": [
        (ENV, ["ISA07 TA105 007", "ST02 AK502 7", "SE01 AK502 4",
               "SE02 AK502 3", "GE02 AK905 4", "IEA02 TA105 001"],
         "ISA07 'nn'; the short ISA ends '*T*~' and a newline, so '~' "
         "stands as ISA16 (component separator) and the newline as "
         "segment terminator, and the '~' that ends every line is data "
         "(ST02 '003095725~', SE02, GE02, IEA02); SE01 says 28 segments "
         "where the set has 29"),
    ],
    "850/x12types__850_test__parse_850_14.x12": [
        (ENV, ["FILE file does not start with an ISA segment"],
         "a bare ST..SE set without ISA/GS envelope"),
    ],
    # --- 855 ---
    "855/x12types__855_test__test_855_1.x12": [
        (ENV, ["SE01 AK502 4"],
         "SE01 says 10 segments, the set has 6"),
    ],
    # --- 856 ---
    "856/botsplugins-partners__PARTNER1_20130123_1.x12": [
        ("0002", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 58 but the set has 63 HL segments (004010: CTT01 is "
         "the number of HL segments); MAN*GM '0000123456781234567890..92' "
         "are 22 digits, not an SSCC-18 with application identifier (20 "
         "digits) and fail the check digit"),
    ],
    "856/botsplugins-partners__PARTNER2_20130123_1.x12": [
        ("0003", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 6, the set has 15 HL segments; MAN*GM values are 22 "
         "digits with bad check digits (placeholder SSCCs)"),
        ("0004", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 2, the set has 6 HL segments; MAN*GM values are 22 "
         "digits with bad check digits"),
    ],
    "856/botsplugins-partners__PARTNER3_pgroupA_20130123_1.x12": [
        ("0005", ["CTT01 AK502 5"],
         "CTT01 says 6 but the set has 10 HL segments"),
    ],
    "856/botsplugins-partners__frompartner1_topartner1_1.x12": [
        ("0004", ["CTT01 AK502 5"],
         "CTT01 says 6 but the set has 10 HL segments"),
        (ENV, ["ISA05 TA105 005", "ISA07 TA105 007"],
         "ISA05 'WX' and ISA07 'YZ' are not interchange id qualifiers"),
    ],
    "856/botsplugins-retailer__856_1.x12": [
        ("0062", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 58, the set has 63 HL segments; MAN*GM values are 22 "
         "digits with bad check digits (placeholder SSCCs)"),
    ],
    "856/botsplugins-retailer__856_2.x12": [
        ("0060", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 6, the set has 15 HL segments; MAN*GM values are 22 "
         "digits with bad check digits"),
        ("0061", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 2, the set has 6 HL segments; MAN*GM values are 22 "
         "digits with bad check digits"),
    ],
    "856/botsplugins-supplier-out__856_1.x12": [
        ("0062", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 58, the set has 63 HL segments; MAN*GM values are 22 "
         "digits with bad check digits (placeholder SSCCs)"),
    ],
    "856/botsplugins-supplier-out__856_2.x12": [
        ("0060", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 6, the set has 15 HL segments; MAN*GM values are 22 "
         "digits with bad check digits"),
        ("0061", ["CTT01 AK502 5", "MAN02 AK403 7"],
         "CTT01 says 2, the set has 6 HL segments; MAN*GM values are 22 "
         "digits with bad check digits"),
    ],
    "856/ediengine__856.Crossdock.OK.edi": [
        ("0001", ["MAN02 AK403 7", "LIN03 AK403 7"],
         "MAN*GM '00000715670002152360' and four more SSCCs fail the GS1 "
         "check digit; LIN03 '0000000000831' (EN) and '0000000000283', "
         "'0000000000203' (UP) are zero-padded numbers, not GTINs with a "
         "valid check digit"),
    ],
    "856/node-x12__856.edi": [
        ("0008", ["REF02 AK403 12", "N403 AK403 12", "LIN05 AK403 7"],
         "ISA11 is '-' with ISA12 00406, so '-' is the repetition "
         "separator, yet the data uses '-' in REF02 '999999-001' and N403 "
         "'31139-0020'; LIN05 '999999310145' and '999999311746' (UP) "
         "fail the GS1 check digit"),
    ],
    "856/x12types__004060_856.edi": [
        ("0008", ["LIN05 AK403 7"],
         "LIN05 '999999310145' and '999999311746' (UP) fail the GS1 check "
         "digit: test data"),
    ],
    "856/x12types__test_856__test_856_xy.x12": [
        (ENV, ["ST01 AK502 6", "GE01 AK905 5"],
         "an 856 in a functional group with GS01 IN (invoices; 856 needs "
         "SH), and GE01 says 2 sets where the group has 1"),
    ],
    # --- 810 ---
    "810/botsplugins-retailer__810_1.x12": [
        ("0063", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the one line is "
         "4 x 330 = 1320.00, no allowances, charges or taxes"),
    ],
    "810/botsplugins-retailer__810_2.x12": [
        ("0067", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the lines total "
         "3587.00, no allowances, charges or taxes"),
    ],
    "810/botsplugins-supplier-out__810_10.x12": [
        ("0070", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the line is "
         "1 x 125 = 125.00"),
        ("0071", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the line is "
         "2 x 85.5 = 171.00"),
    ],
    "810/botsplugins-supplier-out__810_3.x12": [
        ("*", ["IT104 AK403 2"],
         "sets 0065 and 0066: every IT1 has IT102 quantity and IT103 "
         "unit but no IT104 unit price: 004010 IT1 syntax note P020304 "
         "wants all three or none"),
    ],
    "810/botsplugins-supplier-out__810_4.x12": [
        ("0074", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: all three lines are "
         "priced 0"),
    ],
    "810/botsplugins-supplier-out__810_5.x12": [
        ("0064", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the lines total "
         "17640.00"),
    ],
    "810/botsplugins-supplier-out__810_6.x12": [
        ("0075", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: 20 x 226.56 + "
         "100 x 2.82 = 4813.20"),
    ],
    "810/botsplugins-supplier-out__810_7.x12": [
        ("0068", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the lines total "
         "1875.00"),
    ],
    "810/botsplugins-supplier-out__810_8.x12": [
        ("0069", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the lines total "
         "576.00"),
    ],
    "810/botsplugins-supplier-out__810_9.x12": [
        ("0072", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the lines total "
         "1236.00"),
        ("0073", ["TDS01 AK502 5"],
         "TDS01 1234579 (12345.79) is a placeholder: the lines total "
         "17640.00"),
    ],
    "810/staedi__simple810.edi": [
        ("000000002", ["TDS01 AK502 5"],
         "TDS01 255438 (2554.38) is copied from set 000000001: this "
         "invoice's lines are 50 + 100 cases at 12.34 = 1851.00, no "
         "allowances, charges or taxes"),
    ],
    "810/x12types__test_810__test_810_1.x12": [
        (ENV, ["ISA12 TA105 017", "SE01 AK502 4"],
         "ISA12 '00040' is not an interchange version (the ISA is cut to "
         "83 bytes), and SE01 says 44 segments where the set has 45"),
    ],
    "810/x12types__test_810__test_810_2.x12": [
        ("0001", ["IT107 AK403 7"],
         "IT107 '888077648572', '888077650123', '888077648954', "
         "'888077649105', '888077648867' (UP) fail the GS1 check digit"),
    ],
    "mixed/staedi__invoice810_po850_dual.edi": [
        ("000000002", ["TDS01 AK502 5"],
         "TDS01 255438 (2554.38) is copied from set 000000001: the lines "
         "are 150 cases at 12.34 = 1851.00"),
        ("000191240", ["N104 AK403 2"],
         "N1*ST*CARGO LIMITED #112*92 has N103 '92' without N104: N1 "
         "syntax note P0304 (in 003010 as in 004010)"),
    ],
    # --- mixed: envelopes ---
    "mixed/ediengine__MultipleInterchangesAndGroups.edi": [
        (ENV, ["IEA02 TA105 001"],
         "IEA02 '3438' and '3439' differ from ISA13 '000003438' and "
         "'000003439' (the control number must be repeated exactly)"),
    ],
    "mixed/imsweb__x12_multiple_gs.txt": [
        (ENV, ["SE01 AK502 4", "GS06 AK905 19", "IEA01 TA105 021"],
         "each SE01 says 25 segments where the set has 34, the three "
         "groups all use GS06 '1', and IEA01 says 1 group where there "
         "are 3"),
    ],
    "mixed/imsweb__x12_multiple_isa.txt": [
        (ENV, ["SE01 AK502 4"],
         "each SE01 says 25 segments where the set has 34"),
    ],
    "mixed/imsweb__x12_multiple_st.txt": [
        (ENV, ["SE01 AK502 4", "ST02 AK502 23", "GE01 AK905 5"],
         "each SE01 says 25 segments where the set has 34, both sets use "
         "ST02 '987654', and GE01 says 1 set where there are 2"),
    ],
}

# Reasons that come from a limit of the shipped maps, not from the file.
MAP_LIMITS = {
    "mixed/staedi__invoice810_po850_dual.edi": [
        ("000191240", ["BEG05 AK403 8"],
         "GS08 003010: BEG05 '040317' is YYMMDD as 003010 defines dates; "
         "the shipped maps hold the 004010 element definitions (CCYYMMDD) "
         "for every version.  Serving pre-004010 files needs a 003 "
         "version map; the set is rejected anyway for N1 P0304"),
    ],
}

HEADER = re.compile(r"^transaction set (\S+) '([^']*)' at segment (\d+) rejected "
                    r"\(stage (\w+)(?:, partner [^)]*)?\)(:|; errors below)$")
ERROR = re.compile(r"^(?:segment (\d+) \((\w+)\)(?:, element (\d+))?"
                   r"(?:, component \d+)?(?:, offset \d+)?|offset \d+): "
                   r"(.*?)(?: \(((?:AK|TA|IK)\w+ \d+)\))?$")
SUMMARY = re.compile(r"^(\d+) transaction sets?: (\d+) accepted, (\d+) rejected")
LOST = re.compile(r"^(functional group \S+ '[^']*'|interchange '[^']*') is "
                  r"rejected: (\d+) accepted sets? (?:is|are) not written$")
SANITIZER = ("Sanitizer", "runtime error", "LeakSanitizer")


def error_key(m):
    tag, el, msg, code = m.group(2), m.group(3), m.group(4), m.group(5)
    if not code:
        return "FILE " + msg.split(" (")[0]
    where = tag or "FILE"
    if tag and el:
        where = "%s%02d" % (tag, int(el))
    return "%s %s" % (where, code)


def parse(rel, stderr):
    """sets: [(st01, st02, segment, stage, keys)], env keys, lost, counts"""
    prefix = os.path.join(CORPUS, rel) + ": "
    sets, env, lost, counts = [], [], [], None
    current = None
    for line in stderr.splitlines():
        if not line.startswith(prefix):
            current = None
            continue
        body = line[len(prefix):]
        if body.startswith("warning: "):
            continue
        m = HEADER.match(body)
        if m:
            current = None
            entry = [m.group(1), m.group(2), int(m.group(3)), m.group(4), []]
            sets.append(entry)
            if m.group(4) != "envelope":
                current = entry
            continue
        m = SUMMARY.match(body)
        if m:
            counts = tuple(int(x) for x in m.groups())
            current = None
            continue
        m = LOST.match(body)
        if m:
            lost.append((m.group(1), int(m.group(2))))
            current = None
            continue
        m = ERROR.match(body)
        if m:
            key = error_key(m)
            # the file's envelope errors follow the last set's report
            # without a separator: a set's own errors are segment and
            # element errors (AK304, AK403) or its balance and map checks
            # (AK502 5, AK502 1), at or after its ST
            own = (m.group(5) or "").startswith(("AK304", "AK403")) or \
                m.group(5) in ("AK502 5", "AK502 1")
            if current is not None and own and m.group(1) and \
                    int(m.group(1)) >= current[2]:
                if key not in current[4]:
                    current[4].append(key)
            elif key not in env:
                env.append(key)
            continue
        current = None
    return sets, env, lost, counts


def unexplained(rel, control, keys):
    """the keys no DEFECTS or MAP_LIMITS entry of this file and set names"""
    allowed = set()
    for table in (DEFECTS, MAP_LIMITS):
        for who, names, _why in table.get(rel, []):
            if who in (control, "*"):
                allowed.update(names)
    return [k for k in keys if k not in allowed]


def main():
    edigate = os.path.abspath(sys.argv[1])
    if not os.path.isdir(CORPUS):
        print("SKIP translate corpus check: %s does not exist" % CORPUS)
        return 0
    maps = os.path.join(TOP, "maps")
    files = []
    for folder in FOLDERS:
        d = os.path.join(CORPUS, folder)
        if not os.path.isdir(d):
            continue
        for n in sorted(os.listdir(d)):
            if os.path.isfile(os.path.join(d, n)):
                files.append(folder + "/" + n)
    problems = []
    rows = []
    used = set()
    tot_sets = tot_acc = tot_rej = 0
    with tempfile.TemporaryDirectory(prefix="edigate-nopartners-") as none:
        for rel in files:
            proc = subprocess.run(
                [edigate, "translate", "--maps", maps, "--partners", none,
                 os.path.join(CORPUS, rel)],
                capture_output=True, text=True, errors="replace")
            err = proc.stderr
            if proc.returncode not in (0, 65) or any(s in err for s in SANITIZER):
                problems.append("%s: exit %d %s" % (rel, proc.returncode, err[-400:]))
                continue
            sets, env, lost, counts = parse(rel, err)
            if counts is None:
                problems.append("%s: no summary line from edigate" % rel)
                continue
            nsets, nacc, nrej = counts
            tot_sets += nsets
            tot_acc += nacc
            tot_rej += nrej
            reasons = []
            for st01, control, seg, stage, keys in sets:
                label = "%s '%s' (segment %d, %s)" % (st01, control, seg, stage)
                if stage == "envelope":
                    if not env:
                        problems.append("%s: set %s rejected by the envelope, "
                                        "but no envelope error" % (rel, label))
                    reasons.append((label, ["envelope"]))
                    continue
                if stage == "map" and st01 not in SHIPPED:
                    reasons.append((label, ["no map shipped for %s" % st01]))
                    continue
                left = unexplained(rel, control, keys)
                if not keys:
                    left = ["(no reason reported)"]
                for k in left:
                    problems.append("%s: set %s rejected for %s, not explained"
                                    % (rel, label, k))
                used.update((rel, control, k) for k in keys)
                reasons.append((label, keys))
            for what, n in lost:
                if not env:
                    problems.append("%s: %s rejected, but no envelope error"
                                    % (rel, what))
                reasons.append(("%d accepted set(s) of %s not written" % (n, what),
                                ["envelope"]))
            if env:
                left = unexplained(rel, ENV, env)
                for k in left:
                    problems.append("%s: envelope error %s, not explained" % (rel, k))
                used.update((rel, ENV, k) for k in env)
                reasons.append(("envelope", env))
            rows.append((rel, nsets, nacc, nrej, reasons))
    # an explanation nothing needs any more is stale: say so
    for table, name in ((DEFECTS, "DEFECTS"), (MAP_LIMITS, "MAP_LIMITS")):
        for rel, entries in table.items():
            for who, keys, _ in entries:
                for k in keys:
                    if not any(u[0] == rel and u[2] == k and
                               (u[1] == who or (who == "*" and u[1] != ENV))
                               for u in used) and rel in [r[0] for r in rows]:
                        problems.append("%s: %s entry '%s' %s is not needed any more"
                                        % (rel, name, who, k))
    width = max(len(r[0]) for r in rows) if rows else 10
    print("%-*s  %4s  %8s  %8s" % (width, "file", "sets", "accepted", "rejected"))
    for rel, nsets, nacc, nrej, reasons in rows:
        print("%-*s  %4d  %8d  %8d" % (width, rel, nsets, nacc, nrej))
        for label, keys in reasons:
            print("%-*s    %s: %s" % (width, "", label, ", ".join(keys) or "-"))
    print("NOTE translate corpus: %d files, %d sets, %d accepted, %d rejected (%s)"
          % (len(rows), tot_sets, tot_acc, tot_rej,
             "all explained" if not problems else "%d problems" % len(problems)))
    for p in problems:
        print("PROBLEM " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
