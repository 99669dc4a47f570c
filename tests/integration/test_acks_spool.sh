#!/usr/bin/env bash
# test_acks_spool - acknowledgments through `edigate run`: a 997 per
# received interchange in outbound/<partner>/ with control numbers from
# the journal (unique, shared with outbound documents), a TA1 when ISA14
# asks, a duplicate interchange answered with TA1 025, no second answer
# after a replay, the partner's delimiters and 999 by profile, no answer to
# an unknown partner or to a 997, and the partner's 997 of an outbound 855
# matched back to it (status, trace).
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
S=$T/spool
mkdir -p "$T/partners" "$S/in"
cat >"$T/edigate.yaml" <<YAML
spool: spool
maps: $top/maps
partners: partners
outputs:
  erp: {kind: file, format: jsonl}
YAML
cat >"$T/partners/shop.yaml" <<'YAML'
id: shop
interchange:
  them: ["ZZ:SHOP"]
  us: ["ZZ:DISTRIBCO"]
outputs: [erp]
acks: {type: "997", window_hours: 1}
YAML
cat >"$T/partners/mart.yaml" <<'YAML'
id: mart
interchange:
  them: ["ZZ:MART"]
  us: ["ZZ:DISTRIBCO"]
outputs: [erp]
acks: {type: "999", ta1: always}
x12:
  delimiters: {element: "|", component: ":", repetition: "^", segment: "!"}
  segment_suffix: ""
YAML
E() { "$EDIGATE" -c "$T/edigate.yaml" "$@"; }

# an 850 interchange: SENDER CONTROL PO [ISA14] [UPC]
mk() {
	python3 - "$@" <<'PY'
import sys
sender, ctl, po = sys.argv[1:4]
ack = sys.argv[4] if len(sys.argv) > 4 else "0"
upc = sys.argv[5] if len(sys.argv) > 5 else "012345678905"
f = ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", sender.ljust(15), "ZZ",
     "DISTRIBCO".ljust(15), "261127", "0930", "U", "00401", ctl, ack, "P", ">"]
segs = [["ST", "850", "0001"], ["BEG", "00", "SA", po, "", "20261120"],
        ["PO1", "1", "2", "EA", "1.50", "", "UP", upc], ["CTT", "1"]]
segs.append(["SE", str(len(segs) + 1), "0001"])
body = "~".join("*".join(s) for s in segs)
print("*".join(f) + "~GS*PO*" + sender + "*DISTRIBCO*20261127*0930*"
      + str(int(ctl)) + "*X*004010~" + body + "~GE*1*" + str(int(ctl))
      + "~IEA*1*" + ctl + "~")
PY
}
acks() { ls "$S/outbound/$1" 2>/dev/null | grep -E "$2" | sort; }
# the segments of an X12 file, one per line
segs() {
	python3 - "$1" <<'PY'
import sys
t = open(sys.argv[1]).read()
e, term = t[3], t[105]
for s in t.split(term):
    if s.strip():
        print(s.strip().replace(e, "*"))
PY
}

# --- 1. a 997 per interchange, control numbers from the journal ---
mk SHOP 000000101 PO-1 >"$S/in/a.x12"
mk SHOP 000000102 PO-2 1 012345678901 >"$S/in/b.x12" # ISA14=1, bad UPC
expect_exit 65 E run
acks shop '997' >"$T/list"
[ "$(wc -l <"$T/list")" -eq 2 ] || fail "2 acks wanted: $(cat "$T/list")"
expect_line "$T/list" '^[0-9]{8}T[0-9]{6}Z-997-000000001\.x12$'
expect_line "$T/list" '^[0-9]{8}T[0-9]{6}Z-997-000000002\.x12$'
for f in "$S"/outbound/shop/*.x12; do
	expect_exit 0 E validate --envelope "$f"
	segs "$f" >"$T/segs"
	expect_line "$T/segs" '^ISA\*00\*          \*00\*          \*ZZ\*DISTRIBCO      \*ZZ\*SHOP           \*'
	expect_line "$T/segs" '^GS\*FA\*DISTRIBCO\*SHOP\*'
done
cat "$S"/outbound/shop/*.x12 >"$T/all"
segs "$S/outbound/shop/$(sed -n 1p "$T/list")" >"$T/a"
segs "$S/outbound/shop/$(sed -n 2p "$T/list")" >"$T/b"
# which answer is which: the one with AK1*PO*101 answers a.x12
if ! grep -q 'AK1\*PO\*101' "$T/a"; then
	mv "$T/a" "$T/x" && mv "$T/b" "$T/a" && mv "$T/x" "$T/b"
fi
expect_line "$T/a" '^AK1\*PO\*101$'
expect_line "$T/a" '^AK5\*A$'
expect_line "$T/a" '^AK9\*A\*1\*1\*1$'
no_line "$T/a" '^TA1'
expect_line "$T/b" '^TA1\*000000102\*261127\*0930\*A\*000$'
expect_line "$T/b" '^AK3\*PO1\*3\*\*8$'
expect_line "$T/b" '^AK4\*7\*\*7$'
expect_line "$T/b" '^AK5\*R\*5$'
expect_line "$T/b" '^AK9\*R\*1\*1\*0$'
e_id=$(ls "$S/error")
expect_exit 0 E trace "$e_id"
expect_line "$T/out" 'ack +997 for interchange 000000102'

# --- 2. a replay is not answered twice; a duplicate gets TA1 025 ---
expect_exit 0 E replay "$e_id"
expect_exit 65 E run
[ "$(acks shop . | wc -l)" -eq 2 ] || fail "a replay was answered again"
mk SHOP 000000101 PO-1 >"$S/in/a-again.x12"
expect_exit 65 E run
acks shop 'ta1' >"$T/list"
[ "$(wc -l <"$T/list")" -eq 1 ] || fail "a TA1 wanted for the duplicate"
segs "$S/outbound/shop/$(cat "$T/list")" >"$T/dup"
expect_line "$T/dup" '^TA1\*000000101\*261127\*0930\*R\*025$'
no_line "$T/dup" '^GS'
expect_line "$T/dup" '^ISA.*\*000000003\*0\*P\*>$'

# --- 3. the partner's delimiters, 999, TA1 always; unknown partner ---
mk MART 000000201 PO-3 >"$S/in/m.x12"
mk NOBODY 000000301 PO-4 >"$S/in/n.x12"
expect_exit 65 E run
f=$(acks mart '999')
[ -n "$f" ] || fail "no 999 for mart: $(ls -R "$S/outbound")"
head -c 200 "$S/outbound/mart/$f" >"$T/m"
expect_line "$T/m" '^ISA\|00\|'
expect_line "$T/m" 'TA1\|000000201\|261127\|0930\|A\|000!'
expect_line "$T/m" 'ST\|999\|0001!'
[ ! -d "$S/outbound/nobody" ] && [ -z "$(ls "$S/outbound" | grep -v -e shop -e mart)" ] ||
	fail "an unknown partner was answered: $(ls "$S/outbound")"
segs "$S/outbound/mart/$f" >"$T/m"
expect_line "$T/m" '^IK5\*A$'
expect_exit 0 E validate --envelope "$S/outbound/mart/$f"

# --- 4. the partner's 997 of an outbound 855 settles it ---
expect_exit 0 "$EDIGATE" translate --maps "$top/maps" --partners "$T/partners" \
	--partner shop "$TESTDATA/golden/855-004010.x12"
head -1 "$T/out" | python3 -c '
import json, sys
r = json.loads(sys.stdin.readline())
r["id"] = "erp-ack-1"; r["partner"] = "shop"; r["order_number"] = "PO-77"
r["doc_key"] = "shop:order_response:PO-77"
print(json.dumps(r))' >"$T/855.jsonl"
mkdir -p "$S/erp-in"
cp "$T/855.jsonl" "$S/erp-in/shop-855.jsonl"
expect_exit 0 E run
f855=$(acks shop '855')
[ -n "$f855" ] || fail "no outbound 855: $(ls "$S/outbound/shop")"
segs "$S/outbound/shop/$f855" >"$T/855"
isa13=$(sed -n 's/^ISA\(\*[^*]*\)\{12\}\*\([0-9]*\)\*.*/\2/p' "$T/855")
gs06=$(sed -n 's/^GS\*[^*]*\*[^*]*\*[^*]*\*[^*]*\*[^*]*\*\([0-9]*\)\*.*/\1/p' "$T/855")
st02=$(sed -n 's/^ST\*855\*\([0-9]*\).*/\1/p' "$T/855")
[ "$isa13" = 000000004 ] || fail "the 855 takes the next ISA13 (4), not '$isa13'"
expect_exit 0 E status
expect_line "$T/out" 'shop +pending 1  overdue 0  accepted 0  with errors 0  rejected 0'
# due after the profile's window (1 hour): pretend the hour has passed
sqlite3 "$S/state/journal.db" "SELECT due_at - sent_at FROM outbound_sets" >"$T/due"
[ "$(cat "$T/due")" = 3600 ] || fail "due 3600 s after sending, not $(cat "$T/due")"
sqlite3 "$S/state/journal.db" "UPDATE outbound_sets SET sent_at = sent_at - 7200, due_at = due_at - 7200"
expect_exit 0 E status
expect_line "$T/out" 'shop +pending 0  overdue 1  accepted 0  with errors 0  rejected 0'
expect_exit 0 E trace PO-77
expect_line "$T/out" 'overdue +no 997 yet'
# a 997 whose own group envelope is broken (GE01 says 2) settles nothing
mk997() {
	python3 - "$@" <<'PY'
import sys
gs06, st02, ge01, ctl = sys.argv[1:5]
f = ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "SHOP".ljust(15), "ZZ",
     "DISTRIBCO".ljust(15), "261128", "1000", "U", "00401", "000000900", "0",
     "P", ">"]
segs = [["ST", "997", "0001"], ["AK1", "PR", gs06], ["AK2", "855", st02],
        ["AK3", "BAK", "2", "", "8"], ["AK4", "4", "", "8", "20261341"],
        ["AK5", "R", "5"], ["AK9", "R", "1", "1", "0"]]
segs.append(["SE", str(len(segs) + 1), "0001"])
print("*".join(f).replace("000000900", ctl)
      + "~GS*FA*SHOP*DISTRIBCO*20261128*1000*900*X*004010~"
      + "~".join("*".join(s) for s in segs) + "~GE*" + ge01 + "*900~IEA*1*"
      + ctl + "~")
PY
}
mk997 "$gs06" "$st02" 2 000000899 >"$S/in/shop-997-broken.x12"
expect_exit 65 E run
expect_exit 0 E status
expect_line "$T/out" 'shop +pending 0  overdue 1  accepted 0  with errors 0  rejected 0'
mk997 "$gs06" "$st02" 1 000000900 >"$S/in/shop-997.x12"
n_before=$(acks shop . | wc -l)
expect_exit 0 E run
[ "$(acks shop . | wc -l)" -eq "$n_before" ] || fail "a 997 was answered"
expect_exit 0 E status
expect_line "$T/out" 'shop +pending 0  overdue 0  accepted 0  with errors 0  rejected 1'
expect_exit 0 E status --json
python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
o = [x for x in s["outbound"] if x["partner"] == "shop"][0]
assert o["rejected"] == 1 and o["pending"] == 0, o' "$T/out"
expect_exit 0 E trace PO-77
expect_line "$T/out" 'sent +855 set '"$st02"' \(group '"$gs06"', interchange 000000004\) to shop'
expect_line "$T/out" 'rejected +by entry .*segment BAK at 2: segment has data element errors \(8\); element BAK4: invalid date \(8\)'
expect_exit 0 E trace erp-ack-1
expect_line "$T/out" 'rejected'
echo "NOTE acks: 997/999/TA1 through run, control numbers, replay, duplicate, delimiters, 997 matching"
