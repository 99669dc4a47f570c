#!/usr/bin/env bash
# test_rest - REST outputs against a real HTTP server on loopback
# (rest_server.py, started here on a free port, stopped on exit):
#
#   - every record arrives once, with Idempotency-Key (the record id), the
#     correlation id, the bearer token and Content-Type;
#   - 500, a closed connection and a stall (timeout) defer the records to
#     deferred/ and the next run delivers them; so does a server restart;
#   - the breaker opens after 3 failures, then defers without calling the
#     server, a failed half-open trial opens it again, a good one closes
#     it; `status` shows it;
#   - Retry-After (seconds and HTTP date) is respected: no attempt before;
#   - 400 puts the record in error/ (stage deliver, status, body excerpt),
#     a replay after the server is fixed delivers it;
#   - batches of 3 records per request, a 400 in a batch isolates the bad
#     record;
#   - `edigate run` killed with SIGKILL at random moments during delivery,
#     and exactly before a rename(2) or SQLite's fdatasync(2) (strace):
#     no record is ever accepted twice, in the end each exactly once;
#   - the token is in no output, log, journal dump or spool file, even when
#     the server echoes it in an error body;
#   - basic authentication with the password in a file, PUT; a 401 goes
#     to error/ and is replayed after the password is fixed;
#   - TLS verification: a server whose CA is not given fails, with ca_file
#     it works; mutual TLS with a client certificate;
#   - a missing token and configuration mistakes are refused clearly.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$(cd "$(dirname "$0")" && pwd)
S=$T/spool
H=$T/http
TOKEN="tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export ERP_TOKEN=$TOKEN
mkdir -p "$T/partners" "$S/in" "$H"
printf '%s\n' "$TOKEN" >"$H/token"
ALL=$T/all-output # every stdout and stderr of edigate, for the token check

# --- the ERP ---
srv_pid=
start_server() { # DIR [args...]
	local d=$1
	shift
	rm -f "$d/port"
	python3 "$here/rest_server.py" "$d" "$@" 2>>"$d/server.log" &
	echo $! >"$d/pid"
	cleanup_hooks+=("kill $(cat "$d/pid") 2>/dev/null")
	for _ in $(seq 100); do
		[ -s "$d/port" ] && return 0
		sleep 0.05
	done
	cat "$d/server.log"
	fail "rest_server did not start"
}
stop_server() { # DIR
	kill "$(cat "$1/pid")" 2>/dev/null || true
	wait "$(cat "$1/pid")" 2>/dev/null || true
}
mode() { echo "$*" >"$H/mode"; }
nreq() { [ -f "$H/requests.jsonl" ] && wc -l <"$H/requests.jsonl" || echo 0; }
accepted() { # the number of records the ERP accepted; fails on a double
	python3 - "$1/accepted.jsonl" <<'PY'
import collections, json, sys
c = collections.Counter()
for line in open(sys.argv[1]):
    c.update(json.loads(line)["ids"])
d = [k for k, v in c.items() if v > 1]
if d:
    sys.exit("accepted twice: %s" % d)
print(len(c))
PY
}

start_server "$H"
PORT=$(cat "$H/port")

cat >"$T/edigate.yaml" <<YAML
spool: spool
maps: $top/maps
partners: partners
outputs:
  erp:
    kind: rest
    url: http://127.0.0.1:$PORT/orders
    auth: {bearer_token_env: ERP_TOKEN}
    headers: {X-Tenant: distribco}
    connect_timeout: 2
    timeout: 2
    retry: {attempts: 50, base_delay: 0, cap: 0}
    breaker: {failure_threshold: 3, open_seconds: 5, half_open_trials: 1}
YAML
cat >"$T/partners/shop.yaml" <<'YAML'
id: shop
interchange:
  them: ["ZZ:SHOP"]
  us: ["ZZ:DISTRIBCO"]
outputs: [erp]
YAML
E() {
	local rc=0
	"$EDIGATE" -c "$T/edigate.yaml" "$@" || rc=$?
	return $rc
}
# expect_exit plus a copy of what was said, for the token check
X() {
	expect_exit "$@"
	cat "$T/out" "$T/err" >>"$ALL"
}

# an 850 interchange: CONTROL PO
mk() {
	python3 - "$@" <<'PY'
import sys
ctl, po = sys.argv[1:3]
f = ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "SHOP".ljust(15), "ZZ",
     "DISTRIBCO".ljust(15), "261127", "0930", "U", "00401", ctl, "0", "P", ">"]
segs = [["ST", "850", "0001"], ["BEG", "00", "SA", po, "", "20261120"],
        ["PO1", "1", "2", "EA", "1.50", "", "UP", "012345678905"], ["CTT", "1"]]
segs.append(["SE", str(len(segs) + 1), "0001"])
body = "~".join("*".join(s) for s in segs)
print("*".join(f) + "~GS*PO*SHOP*DISTRIBCO*20261127*0930*1*X*004010~"
      + body + "~GE*1*1~IEA*1*" + ctl + "~")
PY
}
ctl=0
drop() { # N files into in/, orders PO-<prefix>-1..N
	local i
	for i in $(seq "$2"); do
		ctl=$((ctl + 1))
		mk "$(printf '%09d' $ctl)" "PO-$1-$i" >"$S/in/$1-$i.x12"
	done
}
ndeferred() { ls "$S/deferred" | wc -l; }
row() { # RECORD_ID COLUMN: from the journal's rest_deliveries
	sqlite3 "$S/state/journal.db" \
		"SELECT $2 FROM rest_deliveries WHERE record_id = '$1'"
}

# --- 1. the happy path: headers, key, correlation, token ---
drop a 3
X 0 E run
expect_line "$T/out" '3 records delivered;.* rest: 3 sent in 3 requests, 0 deferred, 0 to error/'
[ "$(accepted "$H")" -eq 3 ] || fail "3 records accepted"
python3 - "$H/requests.jsonl" "$S" <<'PY'
import glob, json, os, re, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert len(reqs) == 3, reqs
for r in reqs:
    assert r["auth_ok"], r
    assert r["content_type"] == "application/json", r
    assert r["method"] == "POST" and r["path"] == "/orders", r
    assert r["ids"] == [r["key"]], r  # Idempotency-Key = the record id
    assert r["key"].startswith("shop.") and r["correlation"], r
    # the correlation id is the spool entry the order came in
    assert re.match(r"^\d{8}T\d{6}Z-\d{6}", r["correlation"]), r
    assert os.path.isdir(glob.glob(sys.argv[2] + "/archive/*/")[0]
                         + r["correlation"]), r
PY
[ "$(ndeferred)" -eq 0 ] && [ -z "$(ls "$S/work")" ] || fail "deferred/ and work/ empty"
[ -z "$(ls "$S/state/rest/erp")" ] || fail "the published batch was split"
X 0 E status
expect_line "$T/out" '^  erp +breaker closed \(0 failures, opened 0 times\); 0 pending, 3 sent, 0 failed'

# --- 2. transient failures: 500, closed connection, stall, restart ---
for m in fail close "stall 4"; do
	mode "$m"
	drop "t${m%% *}" 1
	before=$(nreq)
	X 0 E run
	expect_line "$T/out" 'rest: 0 sent in 1 requests, 1 deferred'
	[ "$(nreq)" -eq $((before + 1)) ] || fail "$m: one request"
	[ "$(ndeferred)" -eq 1 ] || fail "$m: the record waits in deferred/"
	rid=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[-1])["key"])' "$H/requests.jsonl")
	[ "$(row "$rid" status)" = pending ] && [ "$(row "$rid" attempts)" -eq 1 ] || fail "$m: journal pending, 1 attempt"
	case $m in
	fail) [ "$(row "$rid" last_http)" -eq 500 ] || fail "500 journaled" ;;
	close) row "$rid" detail | grep -q 'no answer' || fail "close: $(row "$rid" detail)" ;;
	stall*) row "$rid" detail | grep -q 'timed out' || fail "stall: $(row "$rid" detail)" ;;
	esac
	mode accept
	X 0 E run
	expect_line "$T/out" 'rest: 1 sent in 1 requests, 0 deferred'
	[ "$(ndeferred)" -eq 0 ] || fail "$m: delivered on the next run"
done
[ "$(accepted "$H")" -eq 6 ] || fail "6 records accepted"
# the server restarts (on the same port): the record waits, then goes
stop_server "$H"
drop restart 1
X 0 E run
expect_line "$T/out" '0 sent in 1 requests, 1 deferred'
start_server "$H" --port "$PORT"
X 0 E run
expect_line "$T/out" '1 sent in 1 requests'
[ "$(accepted "$H")" -eq 7 ] || fail "7 records accepted"

# --- 3. the breaker ---
mode fail
drop b 4
before=$(nreq)
X 0 E run
expect_line "$T/out" 'rest: 0 sent in 3 requests, 3 deferred, 0 to error/, 1 held by 1 open breakers'
[ "$(nreq)" -eq $((before + 3)) ] || fail "the breaker opened after 3 failures"
X 0 E status
expect_line "$T/out" '^  erp +breaker open until .*\(3 failures, opened 1 times\); 4 pending'
X 0 E status --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rest"][0]; assert r["breaker"]["state"]=="open" and r["pending"]==4, r' "$T/out"
X 0 E run
[ "$(nreq)" -eq $((before + 3)) ] || fail "an open breaker defers without calling"
expect_line "$T/out" '4 held by 1 open breakers'
sleep 5.2
X 0 E run # the half-open trial fails: open again
[ "$(nreq)" -eq $((before + 4)) ] || fail "one trial request"
expect_line "$T/out" '3 held by 1 open breakers'
expect_line "$S/state/breakers/erp" '^opened 2$'
mode accept
sleep 5.2
X 0 E run # the trial succeeds: closed, and the rest goes too
expect_line "$T/out" 'rest: 4 sent in 4 requests, 0 deferred'
expect_line "$S/state/breakers/erp" '^state closed$'
[ "$(accepted "$H")" -eq 11 ] || fail "11 records accepted"

# --- 4. Retry-After, in seconds and as an HTTP date ---
for m in "429 6" "429-date 7"; do
	mode "$m"
	drop "r${m%% *}" 1
	X 0 E run
	expect_line "$T/out" '1 deferred'
	rid=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[-1])["key"])' "$H/requests.jsonl")
	t1=$(python3 -c 'import json,sys; print(int(json.loads(open(sys.argv[1]).readlines()[-1])["t"]))' "$H/requests.jsonl")
	wait_s=${m##* }
	next=$(row "$rid" next_at)
	# the HTTP date has whole seconds: one second of rounding allowed
	[ "$next" -ge $((t1 + wait_s - 1)) ] || fail "$m: next attempt $next before $t1 + $wait_s"
	[ "$(date -d "@$(stat -c %Y "$S/deferred/$(row "$rid" entry_id)")" +%s)" -eq "$next" ] || fail "$m: deferred/ mtime is the next attempt"
	mode accept
	before=$(nreq)
	X 0 E run
	[ "$(nreq)" -eq "$before" ] || fail "$m: no attempt before Retry-After"
	while [ "$(date +%s)" -lt "$next" ]; do sleep 0.2; done
	X 0 E run
	expect_line "$T/out" '1 sent in 1 requests'
	python3 - "$H/requests.jsonl" "$rid" "$wait_s" <<'PY'
import json, sys
ts = [json.loads(l)["t"] for l in open(sys.argv[1]) if json.loads(l)["key"] == sys.argv[2]]
assert len(ts) == 2 and ts[1] - ts[0] >= int(sys.argv[3]) - 1, ts
PY
done
[ "$(accepted "$H")" -eq 13 ] || fail "13 records accepted"

# --- 5. 400: error/ with the reason; replay after the fix ---
mode reject PO-x-1
drop x 2
X 65 E run
expect_line "$T/out" 'rest: 1 sent in 2 requests, 0 deferred, 1 to error/'
X 0 E errors
expect_line "$T/out" "deliver +shop +shop\.[0-9.]+\.json: output 'erp' rejected record 'shop\.[0-9.]+' with HTTP 400"
eid=$(ls "$S/error")
python3 - "$S/error/$eid/reason.json" "$TOKEN" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stage"] == "deliver" and r["http_status"] == 400, r
assert r["output"] == "erp" and r["partner"] == "shop" and r["attempts"] == 1, r
assert "unknown customer for PO-x-1" in r["body_excerpt"], r
assert "[redacted]" in r["body_excerpt"], r  # the server echoed the token
assert r["errors"][0]["code"] == "http-rejected", r
PY
rid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["record_id"])' "$S/error/$eid/reason.json")
X 0 E errors show "$eid"
expect_line "$T/out" "^partner shop, stage deliver, attempts 1"
expect_line "$T/out" "^record $rid to output erp \(http://127.0.0.1:$PORT/orders\), HTTP 400"
expect_line "$T/out" "fix the endpoint or the output's settings, then: edigate replay $eid"
[ "$(row "$rid" status)" = failed ] && [ "$(row "$rid" last_http)" -eq 400 ] || fail "journal: failed, 400"
X 0 E replay "$eid" # the server is not fixed yet: error/ again
X 65 E run
expect_line "$T/out" '0 sent in 1 requests, 0 deferred, 1 to error/'
[ -d "$S/error/$eid" ] || fail "the same entry is back in error/"
mode accept
X 0 E replay "$eid"
X 0 E run
expect_line "$T/out" '1 sent in 1 requests'
[ "$(row "$rid" status)" = sent ] || fail "replayed and sent"
[ -z "$(ls "$S/error")" ] || fail "error/ is empty"
X 0 E errors
[ "$(accepted "$H")" -eq 15 ] || fail "15 records accepted"
# replaying the archived x12 file again delivers nothing twice
X 0 E status
expect_line "$T/out" '^  erp +breaker closed .*; 0 pending, 15 sent, 0 failed'

# trace shows a record's REST delivery, by record id and by its entry
X 0 E trace "$rid"
expect_line "$T/out" "rest sent +$rid output=erp entry=$eid attempts=0 http=200"
X 0 E trace "$eid"
expect_line "$T/out" "rest sent +$rid"

# hold a deferred record, release it: sent once
mode fail
drop h 1
X 0 E run
hid=$(ls "$S/deferred")
X 0 E hold "$hid"
[ -d "$S/hold/$hid" ] || fail "held"
mode accept
before=$(nreq)
X 0 E run
[ "$(nreq)" -eq "$before" ] || fail "a held record is not sent"
X 0 E release "$hid"
X 0 E run
expect_line "$T/out" '1 sent in 1 requests'
[ -z "$(ls -A "$S/deferred")$(ls -A "$S/in")" ] || fail "the released record was sent"
[ "$(accepted "$H")" -eq 16 ] || fail "16 records accepted"

# --- 6. SIGKILL at random moments during delivery ---
mode slow 0.1
kills=0
for i in $(seq 12); do
	drop "k$i" 5 # every run has work to be killed in
	"$EDIGATE" -c "$T/edigate.yaml" run >>"$T/kill.log" 2>&1 &
	pid=$!
	sleep "$(python3 -c "import random; random.seed($i); print(round(random.uniform(0.05, 0.8), 2))")"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null || true
	accepted "$H" >/dev/null || fail "a record accepted twice after kill $i"
done
# and exactly before the Nth rename(2) or SQLite fdatasync(2) (strace
# injects the SIGKILL): between the ERP's answer and the journal, between
# the journal and a move, inside the split of a batch
mode accept
targeted=0
if strace -o /dev/null true 2>/dev/null; then
	RANDOM=4242
	for i in $(seq 16); do
		drop "kt$i" 3
		if ((i % 4 == 0)); then
			call=fdatasync when=$((1 + RANDOM % 4))
		else
			call=rename when=$((1 + RANDOM % 40))
		fi
		rc=0
		{ ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 strace -f \
			-o /dev/null -e trace=rename,fdatasync \
			-e inject="$call":signal=KILL:when="$when" \
			"$EDIGATE" -c "$T/edigate.yaml" run >>"$T/kill.log" 2>&1; } \
			2>/dev/null || rc=$?
		((rc == 137)) && targeted=$((targeted + 1))
		accepted "$H" >/dev/null || fail "a record accepted twice after $call #$when"
	done
else
	echo "SKIP: targeted kills (strace cannot run here)"
fi
cat "$T/kill.log" >>"$ALL"
for i in 1 2 3; do X 0 E run; done
[ "$(ndeferred)" -eq 0 ] && [ -z "$(ls -A "$S/work")$(ls -A "$S/in")$(ls -A "$S/error")" ] || {
	ls -R "$S/deferred" "$S/work" "$S/in" "$S/error"
	cat "$T/out" "$T/kill.log"
	fail "everything delivered after the kills"
}
[ -z "$(ls "$S/state/rest/erp")" ] || fail "no batch left"
[ "$(accepted "$H")" -eq 124 ] || fail "124 records accepted, each once"
dups=$(python3 -c 'import json,sys; print(sum(len(json.loads(l).get("duplicates",[])) for l in open(sys.argv[1])))' "$H/requests.jsonl")
echo "NOTE: $kills runs killed during delivery at random, $targeted at a rename or fdatasync; the ERP saw $dups repeated keys (answered, not accepted twice)"
[ "$(sqlite3 "$S/state/journal.db" "SELECT count(*) FROM rest_deliveries WHERE status='sent'")" -eq 124 ] || fail "124 rows sent"

# --- 7. batches of 3: JSON arrays, a 400 isolates the bad record ---
sed -i 's/^    timeout: 2$/    timeout: 2\n    batch_size: 3/' "$T/edigate.yaml"
mode reject PO-y-2
drop y 5
before=$(nreq)
X 65 E run
python3 - "$H/requests.jsonl" "$before" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
sizes = [len(r["ids"]) for r in reqs]
# 3 (rejected) -> 1, 1, 1 one by one; then the last 2 together
assert sizes == [3, 1, 1, 1, 2], sizes
assert reqs[0]["key"].startswith("batch-") and reqs[4]["key"].startswith("batch-"), reqs
assert [r["status"] for r in reqs] == [400, 200, 400, 200, 200], reqs
PY
expect_line "$T/out" 'rest: 4 sent in 5 requests, 0 deferred, 1 to error/'
[ "$(ls "$S/error" | wc -l)" -eq 1 ] || fail "only the bad record in error/"
mode accept
X 0 E replay --all
X 0 E run
[ "$(accepted "$H")" -eq 129 ] || fail "129 records accepted"

# --- 8. the token is nowhere ---
sqlite3 "$S/state/journal.db" .dump >"$T/journal.dump"
grep -q 'rest_deliveries' "$T/journal.dump" || fail "the journal dump has the table"
for f in "$ALL" "$T/journal.dump"; do
	no_line "$f" "$TOKEN"
done
if grep -rlF "$TOKEN" "$S"; then fail "the token is in a spool file"; fi
grep -qF "$TOKEN" "$H/server.log" 2>/dev/null && fail "server log" || true

# --- 9. a missing token, configuration mistakes ---
drop m 1
ERP_TOKEN= X 78 E run
expect_line "$T/err" "output 'erp': environment variable 'ERP_TOKEN' \(the bearer token\) is not set"
[ "$(ndeferred)" -eq 1 ] || fail "the record waits for the token"
X 0 E run
expect_line "$T/out" '1 sent in 1 requests'
cat >"$T/bad.yaml" <<YAML
outputs:
  erp:
    kind: rest
    url: http://127.0.0.1:$PORT/orders
    verify_tls: false
    auth: {bearer_token: abc}
    retry: {attempts: 0}
YAML
X 78 "$EDIGATE" -c "$T/bad.yaml" run
expect_line "$T/err" "bad.yaml:5:5: output 'erp': unknown key 'verify_tls': TLS verification cannot be turned off"
expect_line "$T/err" "bad.yaml:6:12: output 'erp': unknown key 'bearer_token' in auth"
expect_line "$T/err" "bad.yaml:7:23: output 'erp': retry.attempts must be between 1 and 1000"

# --- 10. basic authentication, the password from a file ---
B=$T/basic
mkdir -p "$B" "$T/spool3/in"
PASSWORD="pw-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf 'edigate:%s\n' "$PASSWORD" >"$B/basic"
printf '%s\n' "$PASSWORD" >"$T/erp.password"
start_server "$B"
cat >"$T/basic.yaml" <<YAML
spool: spool3
maps: $top/maps
partners: partners
outputs:
  erp:
    kind: rest
    url: http://127.0.0.1:$(cat "$B/port")/orders
    method: PUT
    auth: {basic_user: edigate, basic_password_file: erp.password}
YAML
mk 000000801 PO-basic-1 >"$T/spool3/in/b1.x12"
X 0 "$EDIGATE" -c "$T/basic.yaml" run
expect_line "$T/out" '1 sent in 1 requests'
python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert r[-1]["auth_ok"] and r[-1]["method"] == "PUT", r' "$B/requests.jsonl"
# a wrong password: 401 is permanent, the record waits in error/
printf 'wrong\n' >"$T/erp.password"
mk 000000802 PO-basic-2 >"$T/spool3/in/b2.x12"
X 65 "$EDIGATE" -c "$T/basic.yaml" run
expect_line "$T/out" '0 sent in 1 requests, 0 deferred, 1 to error/'
printf '%s\n' "$PASSWORD" >"$T/erp.password"
X 0 "$EDIGATE" -c "$T/basic.yaml" replay --all
X 0 "$EDIGATE" -c "$T/basic.yaml" run
expect_line "$T/out" '1 sent in 1 requests'
[ "$(accepted "$B")" -eq 2 ] || fail "2 records accepted with basic auth"
no_line "$ALL" "$PASSWORD"
if grep -rlF "$PASSWORD" "$T/spool3"; then fail "the password is in a spool file"; fi
sqlite3 "$T/spool3/state/journal.db" .dump | grep -qF "$PASSWORD" && fail "password in the journal" || true

# --- 11. TLS: verification on, ca_file, mutual TLS ---
P=$T/pki
mkdir -p "$P" "$T/https"
(
	cd "$P"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
		-days 2 -subj /CN=edigate-test-ca
	openssl req -newkey rsa:2048 -nodes -keyout server.key \
		-out server.csr -subj /CN=127.0.0.1
	printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		-CAcreateserial -out server.pem -days 2 -extfile san.ext
	openssl req -newkey rsa:2048 -nodes -keyout client.key \
		-out client.csr -subj /CN=edigate
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key \
		-CAcreateserial -out client.pem -days 2
) >"$T/openssl.log" 2>&1 || { cat "$T/openssl.log"; fail "openssl"; }
printf '%s\n' "$TOKEN" >"$T/https/token"
start_server "$T/https" --tls "$P/server.pem" "$P/server.key" --client-ca "$P/ca.pem"
TPORT=$(cat "$T/https/port")
S2=$T/spool2
mkdir -p "$S2/in"
tls_config() { # extra lines for the output
	cat >"$T/tls.yaml" <<YAML
spool: spool2
maps: $top/maps
partners: partners
outputs:
  erp:
    kind: rest
    url: https://127.0.0.1:$TPORT/orders
    auth: {bearer_token_file: token.txt}
    timeout: 5
    retry: {attempts: 10, base_delay: 0, cap: 0}
$1
YAML
}
printf '%s\n' "$TOKEN" >"$T/token.txt"
T2() { "$EDIGATE" -c "$T/tls.yaml" "$@"; }
mk 000000901 PO-tls-1 >"$S2/in/tls.x12"
tls_config ""
X 0 T2 run
expect_line "$T/out" '0 sent in 1 requests, 1 deferred'
sqlite3 "$S2/state/journal.db" "SELECT detail FROM rest_deliveries" | grep -qi 'certificate' || fail "no CA: a certificate error ($(sqlite3 "$S2/state/journal.db" "SELECT detail FROM rest_deliveries"))"
tls_config "    ca_file: pki/ca.pem"
X 0 T2 run # the server wants a client certificate
expect_line "$T/out" '0 sent in 1 requests, 1 deferred'
tls_config "    ca_file: pki/ca.pem
    client_cert: pki/client.pem
    client_key: pki/client.key"
X 0 T2 run
expect_line "$T/out" '1 sent in 1 requests'
[ "$(accepted "$T/https")" -eq 1 ] || fail "accepted over mutual TLS"
python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert r[-1]["auth_ok"], r' "$T/https/requests.jsonl"
for f in "$ALL"; do no_line "$f" "$TOKEN"; done
if grep -rlF "$TOKEN" "$S2"; then fail "the token is in a spool file"; fi
sqlite3 "$S2/state/journal.db" .dump | grep -qF "$TOKEN" && fail "token in the journal" || true
echo "ok"
