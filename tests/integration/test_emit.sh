#!/usr/bin/env bash
# test_emit - outbound X12: `edigate emit` and the erp-in/ pickup of
# `edigate run`.
#
#   1. round trip for every shipped map (850/855/856/810 x 004010/005010):
#      the golden X12 -> translate -> records -> emit -> X12 that
#      `validate` passes -> translate again -> the same records.  Compared
#      without `id` and `source` (the new interchange has new control
#      numbers, a new file and sha256) and `correlation_id`; everything
#      else, doc_key and partner included, must be equal;
#   2. emit on the command line: envelope from the profile (ids, version,
#      delimiters), --control, --doc, stdin, a record that cannot be mapped
#      (exit 65, the others still out, the message names record, field,
#      segment and element), usage and configuration errors;
#   3. erp-in/ through `run`: files in outbound/<partner>/, journal rows, a
#      bad record to error/ (stage map) with its reasons, fixed and
#      replayed: only the missing record goes out; a file whose partner
#      comes from its records;
#   4. crash test: `edigate run` killed with SIGKILL at random moments (at
#      least EMIT_KILLS=20 kills) while it emits hundreds of records from
#      files arriving in waves; after every kill and at the end, no record
#      is in outbound/ twice and every ISA13 and GS06 is unique for the
#      partner; at the end every record is out exactly once and the journal
#      has one row per record.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
G=$TESTDATA/golden
KILLS=${EMIT_KILLS:-20}
SEED=${EMIT_SEED:-5150}

mkdir -p "$T/partners"
cat >"$T/partners/retail4.yaml" <<'YAML'
id: retail4
interchange:
  them: ["ZZ:ACMERETAIL"]
  us: ["ZZ:DISTRIBCO"]
outputs: [erp]
YAML
cat >"$T/partners/retail5.yaml" <<'YAML'
id: retail5
interchange:
  them: ["ZZ:ACMERETAIL5"]
  us: ["ZZ:DISTRIBCO"]
x12: {version: "005010", usage: T, gs: {us: DISTRIB-GS, them: RETAIL-GS}}
outputs: [erp]
YAML
cat >"$T/partners/pipes.yaml" <<'YAML'
id: pipes
interchange:
  them: ["01:123456789"]
  us: ["ZZ:DISTRIBCO"]
x12:
  delimiters: {element: "|", component: ":", repetition: "^", segment: "~"}
  segment_suffix: "\r\n"
  ack_requested: true
outputs: [erp]
YAML
E() { "$EDIGATE" "$@"; }
M=(--maps "$top/maps" --partners "$T/partners")

# compare A B: the same records, ignoring id, source and correlation_id
cat >"$T/same.py" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
b = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
if len(a) != len(b):
    sys.exit("%d records, then %d" % (len(a), len(b)))
for x, y in zip(a, b):
    for k in ("id", "source", "correlation_id"):
        x.pop(k, None)
        y.pop(k, None)
    if x != y:
        for k in sorted(set(x) | set(y)):
            if x.get(k) != y.get(k):
                print("member %r:\n  first  %s\n  second %s" % (
                    k, json.dumps(x.get(k)), json.dumps(y.get(k))))
        sys.exit("records differ")
PY

# --- 1. round trip for every shipped map ---
n=0
for input in "$G"/*.x12; do
	base=$(basename "$input" .x12)
	case $base in
	*-004010) partner=retail4 isa12=00401 ;;
	*-005010) partner=retail5 isa12=00501 ;;
	*) continue ;;
	esac
	expect_exit 0 E translate "${M[@]}" --partner $partner "$input"
	cp "$T/out" "$T/$base.jsonl"
	[ -s "$T/$base.jsonl" ] || fail "$base: no records"
	expect_exit 0 E emit "${M[@]}" --partner $partner "$T/$base.jsonl"
	cp "$T/out" "$T/$base.out.x12"
	expect_line "$T/$base.out.x12" "^ISA\*.*\*$isa12\*000000001\*"
	expect_line "$T/$base.out.x12" "^GS\*..\*.*\*1\*X\*${base#*-}~"
	expect_exit 0 E validate "${M[@]}" "$T/$base.out.x12"
	expect_line "$T/out" "OK \(1 interchange, 1 group, 1 transaction set\)"
	expect_exit 0 E translate "${M[@]}" --partner $partner \
		"$T/$base.out.x12"
	python3 "$T/same.py" "$T/$base.jsonl" "$T/out" ||
		fail "$base: the round trip changed the record"
	n=$((n + 1))
done
[ "$n" -eq 8 ] || fail "round trip of $n golden files, wanted 8"
# the 005010 profile's envelope: usage T, GS ids, repetition separator
expect_line "$T/850-005010.out.x12" \
	'^ISA\*00\*          \*00\*          \*ZZ\*DISTRIBCO      \*ZZ\*ACMERETAIL5    \*[0-9]{6}\*[0-9]{4}\*\^\*00501\*000000001\*0\*T\*>~$'
expect_line "$T/850-005010.out.x12" '^GS\*PO\*DISTRIB-GS\*RETAIL-GS\*'
echo "NOTE round trip: $n golden files (850/855/856/810, 004010/005010)"

# --- 2. emit on the command line ---
cat "$T"/850-004010.jsonl "$T"/810-004010.jsonl "$T"/850-004010.jsonl \
	>"$T/mixed.jsonl"
expect_exit 0 E emit "${M[@]}" --partner retail4 --control 42 "$T/mixed.jsonl"
cp "$T/out" "$T/mixed.x12"
python3 - "$T/mixed.x12" <<'PY' || fail "mixed: envelope"
import sys
segs = [s.strip() for s in open(sys.argv[1]).read().split("~") if s.strip()]
tags = [s.split("*")[0] for s in segs]
gs = [s.split("*") for s in segs if s.startswith("GS*")]
assert tags.count("ISA") == 1 and tags.count("IEA") == 1, tags
assert [g[1] for g in gs] == ["PO", "IN"], gs          # a group per document
assert [g[6] for g in gs] == ["42", "43"], gs
isa = segs[0].split("*")
assert isa[13] == "000000042", isa
st = [s.split("*") for s in segs if s.startswith("ST*")]
assert [s[1:] for s in st] == [["850", "0001"], ["850", "0002"], ["810", "0001"]], st
assert segs[-1] == "IEA*2*000000042", segs[-1]
PY
expect_exit 0 E validate "${M[@]}" "$T/mixed.x12"
# stdin, other delimiters and suffix, ISA14
python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); r.pop("partner"); print(json.dumps(r))' \
	<"$T/855-004010.jsonl" >"$T/nopartner.jsonl"
expect_exit 0 E emit "${M[@]}" --partner pipes - <"$T/nopartner.jsonl"
cp "$T/out" "$T/pipes.x12"
head -c 106 "$T/pipes.x12" | grep -q '^ISA|00|' || fail "pipes: element |"
expect_line "$T/pipes.x12" '\|1\|P\|:~'$'\r''$'
expect_exit 0 E validate "${M[@]}" "$T/pipes.x12"
# --doc: an order record forced to 855 still maps (BAK from the 855 map)
python3 - "$T/850-004010.jsonl" >"$T/as855.jsonl" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
print(json.dumps({"id": "r1", "order_number": r["order_number"],
                  "purpose_code": "00", "response_type_code": "AC",
                  "response_date": "2026-11-20", "lines": r["lines"][:1]}))
PY
expect_exit 0 E emit "${M[@]}" --partner retail4 --doc 855 "$T/as855.jsonl"
expect_line "$T/out" '^BAK\*00\*AC\*PO-45001\*20261120~'
expect_line "$T/out" '^CTT\*1~'
# a record that cannot be mapped: the others still come out, exit 65
python3 - "$T/850-004010.jsonl" >"$T/bad.jsonl" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
out = []
for i in range(3):
    x = json.loads(json.dumps(r))
    x["id"], x["order_number"] = "ok-%d" % i, "PO-OK-%d" % i
    out.append(x)
out[1]["id"] = "bad-uom"
out[1]["lines"][1]["uom"] = "EACHES"       # PO103 is ID 2/2
x = json.loads(json.dumps(r)); x["id"] = "bad-date"
x["order_date"] = "2026-02-30"
out.append(x)
x = json.loads(json.dumps(r)); x["id"] = "no-number"
del x["order_number"]
out.append(x)
x = json.loads(json.dumps(r)); x["id"] = "star"
x["parties"][0]["name"] = "A*B"
out.append(x)
x = json.loads(json.dumps(r)); x["id"] = "float"
x["lines"][0]["unit_price"] = 1.5
out.append(x)
for x in out:
    print(json.dumps(x))
print("{not json")
PY
expect_exit 65 E emit "${M[@]}" --partner retail4 "$T/bad.jsonl"
cp "$T/out" "$T/bad.x12"
expect_line "$T/err" "record 'bad-uom': lines\[1\]\.uom: PO103: 'EACHES' is too long"
expect_line "$T/err" "record 'bad-date': order_date: BEG05: '2026-02-30' is not a day"
expect_line "$T/err" "record 'no-number': order_number: BEG03 is required"
expect_line "$T/err" "record 'star': parties\[0\]\.name: N102: 'A\*B' holds the delimiter"
expect_line "$T/err" "record 'float': lines\[0\]\.unit_price: PO104: 1.5 is a binary"
expect_line "$T/err" "record 'line 8': not a JSON object"
expect_line "$T/err" "8 records: 2 sets written, 6 rejected"
[ "$(grep -c '^ST\*850' "$T/bad.x12")" -eq 2 ] || fail "bad: 2 sets wanted"
expect_exit 0 E validate "${M[@]}" "$T/bad.x12"
# usage and configuration
expect_exit 64 E emit "${M[@]}" "$T/bad.jsonl"
expect_line "$T/err" "needs --partner"
expect_exit 64 E emit "${M[@]}" --partner retail4 --doc 999 "$T/bad.jsonl"
expect_exit 66 E emit "${M[@]}" --partner retail4 "$T/nosuch.jsonl"
expect_exit 78 E emit "${M[@]}" --partner nosuch "$T/bad.jsonl"
expect_exit 0 E emit --help
expect_line "$T/out" "usage: edigate emit FILE --partner ID"
echo "NOTE emit: envelope, groups, --control, --doc, stdin, errors"

# --- 3. erp-in/ through run ---
S=$T/spool
cat >"$T/edigate.yaml" <<YAML
spool: spool
maps: $top/maps
partners: partners
outputs:
  erp: {kind: file, format: jsonl}
YAML
R() { "$EDIGATE" -c "$T/edigate.yaml" "$@"; }
expect_exit 0 R run
[ -d "$S/erp-in" ] || fail "run did not make erp-in/"
python3 - "$T/850-004010.jsonl" "$T/855-004010.jsonl" "$S/erp-in" <<'PY'
import json, os, sys
o = json.loads(open(sys.argv[1]).readline())
a = json.loads(open(sys.argv[2]).readline())
d = sys.argv[3]
with open(os.path.join(d, ".retail4-orders.jsonl"), "w") as f:
    for i in range(3):
        x = json.loads(json.dumps(o))
        x["id"], x["order_number"] = "erp-%d" % i, "PO-E%d" % i
        if i == 1:
            x["lines"][0]["uom"] = "EACHES"
        f.write(json.dumps(x) + "\n")
os.rename(os.path.join(d, ".retail4-orders.jsonl"),
          os.path.join(d, "retail4-orders.jsonl"))
a["id"] = "ack-1"
a["partner"] = "retail4"
open(os.path.join(d, "export-7.jsonl"), "w").write(json.dumps(a) + "\n")
PY
expect_exit 65 R run
expect_line "$T/out" "erp-in: 2 files, 3 outbound sets"
[ -z "$(ls -A "$S/erp-in")" ] || fail "erp-in/ not emptied"
ls "$S/outbound/retail4" >"$T/files"
[ "$(wc -l <"$T/files")" -eq 2 ] || fail "2 outbound files wanted: $(cat "$T/files")"
expect_line "$T/files" '^[0-9]{8}T[0-9]{6}Z-850-[0-9]{9}\.x12$'
expect_line "$T/files" '^[0-9]{8}T[0-9]{6}Z-855-[0-9]{9}\.x12$'
for f in "$S"/outbound/retail4/*.x12; do
	expect_exit 0 E validate "${M[@]}" "$f"
done
bad_id=$(ls "$S/error")
[ "$(echo "$bad_id" | wc -l)" -eq 1 ] || fail "one entry in error/ wanted"
python3 - "$S/error/$bad_id/reason.json" <<'PY' || fail "reason.json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stage"] == "map" and r["partner"] == "retail4", r
assert r["sets_rejected"] == 1, r
msgs = [e["message"] for e in r["errors"]]
assert any("record 'erp-1': lines[0].uom: PO103" in m for m in msgs), msgs
PY
python3 - "$S/state/journal.db" <<'PY' || fail "journal rows"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT record_id, st01, isa13, gs06, st02, file, entry_id"
                  " FROM outbound_sets WHERE partner = 'retail4'"
                  " ORDER BY record_id").fetchall()
assert [r[0] for r in rows] == ["ack-1", "erp-0", "erp-2"], rows
assert all(r[5] and r[6] for r in rows), rows
assert len({(r[3], r[4]) for r in rows}) == 3, rows
PY
# fix the record where it waits, replay: only erp-1 goes out
sed -i 's/"EACHES"/"EA"/' "$S/error/$bad_id/retail4-orders.jsonl"
expect_exit 0 R replay "$bad_id"
expect_exit 0 R run
expect_line "$T/out" "erp-in: 0 files, 1 outbound sets"
[ "$(ls "$S/outbound/retail4" | wc -l)" -eq 3 ] || fail "3 files wanted"
[ -z "$(ls -A "$S/error")" ] || fail "error/ not empty after the replay"
cat "$S"/outbound/retail4/*-850-*.x12 | grep -o '^BEG\*00\*SA\*PO-E[0-9]' |
	sort | uniq -c >"$T/begs"
[ "$(awk '$1 != 1' "$T/begs" | wc -l)" -eq 0 ] && [ "$(wc -l <"$T/begs")" -eq 3 ] ||
	fail "each order once: $(cat "$T/begs")"
# the same file again (an ERP that sends twice): nothing new goes out
python3 - "$T/850-004010.jsonl" "$S/erp-in/retail4-again.jsonl" <<'PY'
import json, sys
o = json.loads(open(sys.argv[1]).readline())
o["id"], o["order_number"] = "erp-0", "PO-E0"
open(sys.argv[2], "w").write(json.dumps(o) + "\n")
PY
expect_exit 0 R run
expect_line "$T/out" "erp-in: 1 files, 0 outbound sets"
[ "$(ls "$S/outbound/retail4" | wc -l)" -eq 3 ] || fail "a record went twice"
# no partner at all: error/ (stage partner)
echo '{"doc_type":"order","id":"x"}' >"$S/erp-in/nobody.jsonl"
expect_exit 65 R run
expect_line "$S/error/$(ls "$S/error")/reason.json" '"stage":"partner"'
expect_line "$S/error/$(ls "$S/error")/reason.json" 'no partner: name the file'
# a profile that cannot address an interchange: error/ (stage partner)
cat >"$T/partners/noids.yaml" <<'YAML'
id: noids
interchange:
  them: ["ZZ:NOIDS"]
outputs: [erp]
YAML
head -1 "$T/mixed.jsonl" | sed 's/"partner": *"retail4"/"partner": "noids"/' \
	>"$S/erp-in/noids-1.jsonl"
expect_exit 65 R run
grep -l "partner 'noids' has no interchange ids" "$S"/error/*/reason.json \
	>/dev/null || fail "noids: no reason"
[ ! -d "$S/outbound/noids" ] || fail "noids: something went out"
echo "NOTE erp-in: outbound files, journal rows, error/ and replay, idempotent"

# --- 4. crash test ---
C=$T/crash
mkdir -p "$C/partners" "$C/spool/erp-in" "$C/waiting"
cp "$T/partners/retail4.yaml" "$C/partners/"
cat >"$C/edigate.yaml" <<YAML
spool: spool
maps: $top/maps
partners: partners
outputs:
  erp: {kind: file, format: jsonl}
run: {batch_files: 3}
YAML
NFILES=150 NREC=8
python3 - "$T/850-004010.jsonl" "$T/810-004010.jsonl" "$C/waiting" \
	$NFILES $NREC <<'PY'
import json, os, sys
o = json.loads(open(sys.argv[1]).readline())
v = json.loads(open(sys.argv[2]).readline())
d, nfiles, nrec = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
for f in range(nfiles):
    with open(os.path.join(d, "retail4-%03d.jsonl" % f), "w") as out:
        for r in range(nrec):
            x = json.loads(json.dumps(o if r % 2 else v))
            key = "K%03d-%02d" % (f, r)
            x["id"] = key
            if r % 2:
                x["order_number"] = key
            else:
                x["invoice_number"] = key
            out.write(json.dumps(x) + "\n")
PY
cat >"$C/check.py" <<'PY'
import collections, glob, os, sqlite3, sys
mode, c, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
keys, isa, gs = collections.Counter(), collections.Counter(), collections.Counter()
for f in glob.glob(os.path.join(c, "spool/outbound/retail4/*.x12")):
    for s in open(f).read().split("~"):
        e = s.strip().split("*")
        if e[0] == "ISA":
            isa[e[13]] += 1
        elif e[0] == "GS":
            gs[e[6]] += 1
        elif e[0] in ("BEG", "BIG"):
            keys[e[3] if e[0] == "BEG" else e[2]] += 1
bad = []
bad += ["record %s out %d times" % (k, n) for k, n in keys.items() if n > 1]
bad += ["ISA13 %s used %d times" % (k, n) for k, n in isa.items() if n > 1]
bad += ["GS06 %s used %d times" % (k, n) for k, n in gs.items() if n > 1]
if mode == "final":
    if len(keys) != total:
        bad.append("%d records out, wanted %d" % (len(keys), total))
    db = sqlite3.connect(os.path.join(c, "spool/state/journal.db"))
    rows = db.execute("SELECT record_id, COUNT(*) FROM outbound_sets"
                      " GROUP BY record_id").fetchall()
    if len(rows) != total or any(n != 1 for _, n in rows):
        bad.append("journal: %d record ids, wanted %d once each" % (len(rows), total))
    for d in ("erp-in", "in", "work", "error", "tmp"):
        left = [x for x in os.listdir(os.path.join(c, "spool", d)) if not x.startswith(".")]
        if left:
            bad.append("%s/ not empty: %s" % (d, left[:3]))
print("%d records out" % len(keys))
if bad:
    print("\n".join(bad[:20]), file=sys.stderr)
    sys.exit(1)
PY
RANDOM=$SEED
waiting() { ls "$C/waiting" | head -n "$1"; }
drop() { # move n waiting files into erp-in/ (a dot name, then a rename)
	local f
	for f in $(waiting "$1"); do
		mv "$C/waiting/$f" "$C/spool/erp-in/.$f"
		mv "$C/spool/erp-in/.$f" "$C/spool/erp-in/$f"
	done
}
drop 24
killed=0 cycle=0 interrupted=0
while ((killed < KILLS)); do
	cycle=$((cycle + 1))
	((cycle <= 400)) || fail "400 runs, only $killed killed"
	drop 5
	"$EDIGATE" -c "$C/edigate.yaml" run >"$C/run.out" 2>&1 &
	pid=$!
	# a run that ends before its kill counts for nothing: kills come
	# early enough to catch a run as fast as the code has become
	delay=$(printf '0.%03d' $((RANDOM % 150 + 5)))
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null || true
	rc=0
	wait "$pid" 2>/dev/null || rc=$?
	((rc == 137)) && killed=$((killed + 1))
	python3 "$C/check.py" mid "$C" 0 >"$C/mid.out" 2>"$C/check.err" || {
		cat "$C/check.err"
		fail "after run $cycle (killed after ${delay}s): broken"
	}
	# did the kill interrupt work? (something left in erp-in/, in/, work/)
	if ((rc == 137)) && [ -n "$(ls -A "$C/spool/erp-in" "$C/spool/in" \
		"$C/spool/work" 2>/dev/null | grep -v '^/' | grep -v '^$' |
		grep -v '^\.')" ]; then
		interrupted=$((interrupted + 1))
	fi
done
((interrupted * 3 >= killed)) ||
	fail "only $interrupted of $killed kills interrupted a run with work left"
drop $NFILES
"$EDIGATE" -c "$C/edigate.yaml" run >"$C/run.out" 2>&1 || {
	cat "$C/run.out"
	fail "the last run failed"
}
python3 "$C/check.py" final "$C" $((NFILES * NREC)) >"$C/final.out" \
	2>"$C/check.err" || {
	cat "$C/check.err"
	fail "after the crash test"
}
echo "NOTE crash: $cycle runs, $killed killed with SIGKILL" \
	"($interrupted with work left);" \
	"$(cat "$C/final.out") exactly once, ISA13/GS06 unique"
