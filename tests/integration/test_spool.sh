#!/usr/bin/env bash
# test_spool - `edigate run` and the operator commands on a real spool:
# state moves, recovery from work/, the lock, unknown partner, duplicate
# interchange, partial acceptance, replay after fixing a map, idempotent
# delivery, configuration and id errors.
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
maps: {"850": shop-850}
outputs: [erp]
YAML
cat >"$T/partners/shop-850.yaml" <<'YAML'
map: shop-850
extends: x12-850
tables:
  uom: {EA: each}
record:
  fields:
    lines:
      each: loop PO1
      fields:
        line_number: PO101
        uom: PO103 | code(uom)
YAML
E() { "$EDIGATE" -c "$T/edigate.yaml" "$@"; }

# an 850 interchange: SENDER CONTROL PO [UOM] [SE01-override]
mk() {
	python3 - "$@" <<'PY'
import sys
sender, ctl, po = sys.argv[1:4]
uom = sys.argv[4] if len(sys.argv) > 4 else "EA"
f = ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", sender.ljust(15), "ZZ",
     "DISTRIBCO".ljust(15), "261127", "0930", "U", "00401", ctl, "0", "P", ">"]
segs = [["ST", "850", "0001"], ["BEG", "00", "SA", po, "", "20261120"],
        ["PO1", "1", "2", uom, "1.50", "", "UP", "012345678905"], ["CTT", "1"]]
segs.append(["SE", str(len(segs) + 1), "0001"])
body = "~".join("*".join(s) for s in segs)
print("*".join(f) + "~GS*PO*" + sender + "*DISTRIBCO*20261127*0930*1*X*004010~"
      + body + "~GE*1*1~IEA*1*" + ctl + "~")
PY
}
records() { cat "$S"/out/erp/*.jsonl 2>/dev/null | wc -l; }
ids_unique() {
	local dup
	dup=$(cat "$S"/out/erp/*.jsonl | python3 -c 'import sys,json,collections; c=collections.Counter(json.loads(l)["id"] for l in sys.stdin); print(" ".join(k for k,v in c.items() if v>1))')
	[ -z "$dup" ] || fail "records delivered twice: $dup"
}

mk SHOP 000000001 PO-1 >"$S/in/a.x12"
mk SHOP 000000002 PO-2 >"$S/in/b.x12"
mk SHOP 000000001 PO-1 >"$S/in/c-duplicate.x12"
mk STRANGER 000000003 PO-3 >"$S/in/d-unknown.x12"
mk SHOP 000000004 PO-4 CA >"$S/in/e-uom.x12"
expect_exit 65 E run
expect_line "$T/out" '^edigate run: 5 files: 2 archived, 3 to error/'
[ "$(records)" -eq 2 ] || fail "two records delivered"
[ -z "$(ls "$S/in")" ] && [ -z "$(ls "$S/work")" ] || fail "in/ and work/ must be empty"
[ "$(ls "$S/error" | wc -l)" -eq 3 ] || fail "three entries in error/"
[ "$(find "$S/archive" -mindepth 2 -maxdepth 2 -type d | wc -l)" -eq 2 ] || fail "two in archive/"

# the error spool, in words and as JSON
expect_exit 0 E errors
expect_line "$T/out" 'envelope +shop +c-duplicate.x12: interchange 000000001 from ZZ:SHOP was already received in entry'
expect_line "$T/out" 'partner +- +d-unknown.x12: no partner profile has ISA sender ZZ:STRANGER'
expect_line "$T/out" "map +shop +e-uom.x12: PO103: 'CA' is not in table uom"
E errors --json >"$T/errors.json"
uom_id=$(python3 -c 'import json,sys; print(next(e["id"] for e in json.load(open(sys.argv[1])) if e["file"]=="e-uom.x12"))' "$T/errors.json")
unknown_id=$(python3 -c 'import json,sys; print(next(e["id"] for e in json.load(open(sys.argv[1])) if e["file"]=="d-unknown.x12"))' "$T/errors.json")
expect_exit 0 E errors show "$uom_id"
expect_line "$T/out" 'partner shop, stage map, attempts 1'
expect_line "$T/out" "segment 5 \(PO1\), element 3, offset [0-9]+: PO103: 'CA' is not in table uom .* \(AK403 7\)"
python3 - "$S/error/$uom_id/reason.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stage"] == "map" and r["partner"] == "shop" and r["attempts"] == 1, r
e = r["sets"][0]["errors"][0]
assert e["segment"] == 5 and e["tag"] == "PO1" and e["element"] == 3 and e["ack"] == {"element": "AK403", "code": 7}, e
PY

# replay after fixing the map: delivered once
sed -i 's/EA: each}/EA: each, CA: case}/' "$T/partners/shop-850.yaml"
expect_exit 0 E replay "$uom_id"
expect_exit 0 E run
[ "$(records)" -eq 3 ] || fail "the fixed order is delivered"
ids_unique
# replaying an archived or unknown entry, bad ids
expect_exit 66 E replay "$uom_id"
expect_line "$T/err" "no entry '$uom_id' in error/"
expect_exit 64 E replay "../etc"
expect_line "$T/err" "'../etc' is not an entry id"
expect_exit 66 E errors show 20990101T000000Z-000001

# onboard the unknown partner, replay: delivered
cat >"$T/partners/stranger.yaml" <<'YAML'
id: stranger
interchange: {them: ["ZZ:STRANGER"]}
YAML
expect_exit 0 E replay --all --partner nobody
expect_line "$T/out" 'nothing to replay'
expect_exit 0 E replay --dry-run "$unknown_id"
expect_line "$T/out" "would move $unknown_id"
expect_exit 0 E replay "$unknown_id"
expect_exit 0 E run
[ "$(records)" -eq 4 ] || fail "the onboarded partner's order is delivered"

# hold and release
dup_id=$(ls "$S/error" | head -1)
expect_exit 0 E hold "$dup_id"
[ -d "$S/hold/$dup_id" ] || fail "held"
expect_exit 0 E release "$dup_id"
[ -d "$S/in/$dup_id" ] || fail "released to in/"
expect_exit 65 E run
expect_line "$T/out" '1 to error/'

# a run that died: an entry left in work/ is finished by the next run,
# and what it delivered before is not delivered again
arch=$(find "$S/archive" -mindepth 2 -maxdepth 2 -type d | head -1)
mv "$arch" "$S/work/"
expect_exit 0 E run
expect_line "$T/out" 'recovered 1 from work/'
ids_unique
[ -z "$(ls "$S/work")" ] || fail "work/ is empty after recovery"

# the lock: a second run says so and exits 75
flock "$S/state/lock" sleep 3 &
holder=$!
cleanup_hooks+=("kill $holder 2>/dev/null")
sleep 0.3
mk SHOP 000000009 PO-9 >"$S/in/z.x12"
expect_exit 75 E run
expect_line "$T/err" 'another edigate run holds the spool lock'
wait $holder 2>/dev/null || true
expect_exit 0 E run
[ "$(records)" -eq 5 ] || fail "delivered once the lock is free"
ids_unique

# trace and status
expect_exit 0 E trace PO-1
expect_line "$T/out" 'accepted +shop.000000001.1.0001 shop:order:PO-1'
expect_line "$T/out" 'now in archive/'
expect_exit 0 E trace 000000004
expect_line "$T/out" 'replay'
expect_exit 66 E trace NO-SUCH-ORDER
expect_exit 0 E status --json
python3 - "$T/out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["states"]["error"] == 1 and s["states"]["in"] == 0, s["states"]
assert any(r["kind"] == "sets" and r["partner"] == "shop" and r["state"] == "delivered" for r in s["journal"])
PY

# a bad configuration is refused with file, line and what is wrong
printf 'spool: spool\noutputs:\n  erp: {kind: ftp}\n' >"$T/bad.yaml"
expect_exit 78 "$EDIGATE" -c "$T/bad.yaml" run
expect_line "$T/err" 'bad.yaml:3:'

# retention: archive and sent day folders older than retention.archive_days
# and retention.sent_days go
mkdir -p "$S/archive/2001-01-01/20010101T000000Z-000001"
mkdir -p "$S/sent/2001-01-01/shop" "$S/sent/2099-01-01/shop"
: >"$S/sent/2001-01-01/shop/old.x12"
cat >>"$T/edigate.yaml" <<'YAML'
retention: {archive_days: 30, sent_days: 30}
YAML
expect_exit 0 E run
[ ! -d "$S/archive/2001-01-01" ] || fail "an archive day older than 30 days is removed"
[ ! -d "$S/sent/2001-01-01" ] || fail "a sent day older than 30 days is removed"
[ -d "$S/sent/2099-01-01" ] || fail "a younger sent day stays"
[ "$(find "$S/archive" -mindepth 1 -maxdepth 1 -type d | wc -l)" -ge 1 ] || fail "today's archive stays"

# the event log: under cron (no terminal) only the summary line; -v adds a
# line per file; --log-json makes each a JSON object
mk SHOP 000000801 PO-801 >"$S/in/log-a.x12"
expect_exit 0 E run
no_line "$T/err" 'archived'
mk SHOP 000000802 PO-802 >"$S/in/log-b.x12"
expect_exit 0 "$EDIGATE" -v -c "$T/edigate.yaml" run
expect_line "$T/err" '^[0-9-]{10}T[0-9:]{8}Z info archived entry=[0-9T]+Z-[0-9]+ file="log-b\.x12" partner=shop accepted=1 rejected=0'
mk SHOP 000000803 PO-803 >"$S/in/log-c.x12"
mk SHOP 000000804 PO-804 DZ >"$S/in/log-d.x12"
expect_exit 65 "$EDIGATE" --log-json -c "$T/edigate.yaml" run
python3 - "$T/err" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ev = {l["file"]: l for l in lines if l.get("event") in ("archived", "error")}
assert ev["log-c.x12"]["event"] == "archived" and ev["log-c.x12"]["accepted"] == 1, ev
assert ev["log-d.x12"]["event"] == "error" and ev["log-d.x12"]["stage"] == "map", ev
assert all(l["level"] in ("info", "warn", "error") and "time" in l for l in lines)
run = [l for l in lines if l["event"] == "run"]
assert len(run) == 1 and run[0]["files"] == 2 and run[0]["errored"] == 1, run
PY
