#!/usr/bin/env bash
# test_as2 - AS2 on loopback: `edigate serve` receives what the `openssl
# cms` command built (signed, encrypted, compressed by python zlib) and
# sent with curl; `openssl cms` opens what `edigate push` sent; edigate to
# edigate with sync and async MDNs; tampered content, a wrong
# certificate, an unknown trading relationship, a repeated Message-ID; a
# receiver killed mid-upload loses nothing; the partner boundary.  Where
# npm can install libas2, a round trip with it.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() { # PORT: until something listens
	for _ in $(seq 100); do
		if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	fail "nothing listens on port $1"
}
wait_line() { # FILE REGEX: until FILE has a matching line (10 s)
	for _ in $(seq 100); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "--- $1"; cat "$1"
	fail "no line matching '$2' in $1"
}

# --- keys: A (us, sender), B (the receiver), C (a stranger) ---
for k in a b c; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$k.key" \
		-out "$T/$k.pem" -subj "/CN=edigate-test-$k" -days 2 2>/dev/null
done

# --- B: the receiving edigate; partner acme = A ---
mkdir -p "$T/b/partners"
PB=$(free_port)
cat >"$T/b/edigate.yaml" <<YAML
spool: spool
maps: $top/maps
partners: partners
outputs:
  erp: {kind: file, format: jsonl}
serve: {address: 127.0.0.1, port: $PB}
YAML
cat >"$T/b/partners/acme.yaml" <<YAML
id: acme
interchange: {them: ["ZZ:ACMESUPPLY"], us: ["ZZ:DISTRIBCO"]}
outputs: [erp]
as2:
  their_id: EDIGATE-A
  our_id: EDIGATE-B
  their_certificate: $T/a.pem
  our_certificate: ../../b.pem
  our_key: ../../b.key
YAML
cat >"$T/b/partners/other.yaml" <<YAML
id: other
interchange: {them: ["ZZ:OTHERCO"], us: ["ZZ:DISTRIBCO"]}
outputs: [erp]
YAML
EB() { "$EDIGATE" -c "$T/b/edigate.yaml" "$@"; }
SB=$T/b/spool
start_b() { # the pid is edigate's own (no subshell in between)
	"$EDIGATE" -c "$T/b/edigate.yaml" serve >>"$T/b.log" 2>&1 &
	echo $! >"$T/b.pid"
	wait_port "$PB"
}
stop_b() {
	if [ -f "$T/b.pid" ]; then
		kill "$(cat "$T/b.pid")" 2>/dev/null || true
		wait "$(cat "$T/b.pid")" 2>/dev/null || true
		rm -f "$T/b.pid"
	fi
}
cleanup_hooks+=(stop_b)

# the help and a profile mistake
expect_exit 0 "$EDIGATE" serve --help
expect_line "$T/out" 'Receive AS2 messages'
mkdir -p "$T/bad/partners"
printf 'spool: spool\nmaps: %s\npartners: partners\n' "$top/maps" >"$T/bad/edigate.yaml"
cat >"$T/bad/partners/x.yaml" <<'YAML'
id: x
interchange: {them: ["ZZ:X"]}
as2: {their_id: X, our_id: Y, sign: maybe, their_certificate: nope.pem, mdn: later, color: red}
YAML
expect_exit 78 "$EDIGATE" -c "$T/bad/edigate.yaml" serve
expect_line "$T/err" "as2.sign must be one of false, true"
expect_line "$T/err" "as2.their_certificate: cannot read '.*nope.pem': No such file"
expect_line "$T/err" "as2.mdn must be one of sync, async, none"
expect_line "$T/err" "unknown key 'color' in as2"

start_b
EB partners >/dev/null 2>&1 || { EB partners; fail "B's profiles load"; }

x12() { # SENDER CONTROL PO
	python3 - "$@" <<'PY'
import sys
sender, ctl, po = sys.argv[1:4]
f = ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", sender.ljust(15), "ZZ",
     "DISTRIBCO".ljust(15), "261127", "0930", "U", "00401", ctl, "0", "P", ">"]
segs = [["ST", "850", "0001"], ["BEG", "00", "SA", po, "", "20261120"],
        ["PO1", "1", "2", "EA", "1.50", "", "UP", "012345678905"], ["CTT", "1"]]
segs.append(["SE", str(len(segs) + 1), "0001"])
body = "~".join("*".join(s) for s in segs)
sys.stdout.write("*".join(f) + "~GS*PO*" + sender + "*DISTRIBCO*20261127*0930*1*X*004010~"
      + body + "~GE*1*1~IEA*1*" + ctl + "~\n")
PY
}
entries() { find "$SB/in" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l; }
mic_of() { # FILE: the sha-256 MIC of its bytes
	python3 -c 'import sys,hashlib,base64; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode()+", sha-256")' "$1"
}
# entity NAME PAYLOAD OUT: a MIME entity (CRLF headers) around a payload
entity() {
	printf 'Content-Type: application/edi-x12\r\nContent-Transfer-Encoding: binary\r\nContent-Disposition: attachment; filename="%s"\r\n\r\n' "$1" >"$3"
	cat "$2" >>"$3"
}
# post FILE CONTENT-TYPE MESSAGE-ID [FROM]: POST to B, response in $T/resp*
post() {
	curl -sS -o "$T/resp.body" -D "$T/resp.head" \
		-H "AS2-Version: 1.2" -H "AS2-From: ${4:-EDIGATE-A}" \
		-H "AS2-To: EDIGATE-B" -H "Message-ID: $3" \
		-H "Disposition-Notification-To: test@example" \
		-H "Disposition-Notification-Options: signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256" \
		-H "Content-Type: $2" -H "Expect:" --data-binary "@$1" \
		"http://127.0.0.1:$PB/as2"
}
# sign_encrypt ENTITY SIGNER_KEY SIGNER_CERT OUT: openssl cms, then DER
sign_smime() {
	openssl cms -sign -binary -md sha256 -in "$1" -signer "$3" \
		-inkey "$2" -out "$4" 2>"$T/openssl.err" ||
		{ cat "$T/openssl.err"; fail "openssl cms -sign"; }
}
encrypt_der() {
	openssl cms -encrypt -binary -aes256 -in "$1" -outform DER \
		-out "$2" "$T/b.pem" 2>"$T/openssl.err" ||
		{ cat "$T/openssl.err"; fail "openssl cms -encrypt"; }
}

# --- 1. openssl cms signed + encrypted, POSTed with curl ---
x12 ACMESUPPLY 000000001 PO-1 >"$T/po1.x12"
entity po1.x12 "$T/po1.x12" "$T/e1"
sign_smime "$T/e1" "$T/a.key" "$T/a.pem" "$T/s1"
encrypt_der "$T/s1" "$T/m1.der"
post "$T/m1.der" 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"' '<m1@test>'
grep -q 'processed$' <(tr -d '\r' <"$T/resp.body") || { cat "$T/resp.body"; fail "sync mdn says processed"; }
no_line "$T/resp.body" 'processed/error'
expect_line "$T/resp.body" "Received-Content-MIC: $(mic_of "$T/e1" | sed 's/[+/]/./g')"
expect_line "$T/resp.body" 'Original-Message-ID: <m1@test>'
expect_line "$T/resp.head" '^Content-Type: multipart/signed'
# the MDN's signature, checked by openssl with B's certificate
{ grep -i '^content-type' "$T/resp.head"; printf '\r\n'; cat "$T/resp.body"; } >"$T/mdn1"
openssl cms -verify -in "$T/mdn1" -CAfile "$T/b.pem" -out /dev/null 2>"$T/openssl.err" ||
	{ cat "$T/openssl.err"; fail "openssl cannot verify the signed mdn"; }
[ "$(entries)" -eq 1 ] || fail "one entry in in/"
d=$(find "$SB/in" -mindepth 1 -maxdepth 1 -type d | head -1)
cmp "$d/po1.x12" "$T/po1.x12" || fail "spooled payload differs"
expect_line "$d/meta.json" '"source": ?"as2:acme"'
expect_line "$d/meta.json" '"message_id": ?"<m1@test>"'
expect_line "$d/meta.json" '"signed": ?true'
expect_line "$d/meta.json" '"encrypted": ?true'

# --- 2. the same Message-ID again: the same MDN, not spooled twice ---
cp "$T/resp.body" "$T/mdn1.body"
post "$T/m1.der" 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"' '<m1@test>'
cmp "$T/resp.body" "$T/mdn1.body" || fail "a repeated Message-ID gets the stored mdn"
[ "$(entries)" -eq 1 ] || fail "a repeated Message-ID is not spooled twice"
wait_line "$T/b.log" '<m1@test> again: not spooled twice'

# serve died after storing m1 but before recording its MDN: the row still
# says "receiving"; the resend finds the entry, is not stored again, and
# gets an MDN made now
sqlb() { python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); n=db.execute(sys.argv[2]).rowcount; db.commit(); sys.exit(0 if n == 1 else 1)' "$SB/state/journal.db" "$1"; }
sqlb "UPDATE as2_messages SET status = 'receiving', mdn = NULL WHERE message_id = '<m1@test>'" ||
	fail "the row of <m1@test>"
post "$T/m1.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m1@test>'
expect_line "$T/resp.body" "Received-Content-MIC: $(mic_of "$T/e1" | sed 's/[+/]/./g')"
no_line "$T/resp.body" 'processed/error'
[ "$(entries)" -eq 1 ] || fail "stored, then died: the resend is not stored twice"
# serve died before the entry reached in/: the resend is stored
sqlb "INSERT INTO as2_messages (direction, partner, message_id, name, entry_id, status, at) VALUES ('in', 'acme', '<m1b@test>', 'po1.x12', '20261127T000000Z-999999-acme', 'receiving', 0)" ||
	fail "a receiving row"
post "$T/m1.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m1b@test>'
no_line "$T/resp.body" 'processed/error'
[ "$(entries)" -eq 2 ] || fail "died before storing: the resend is stored"

# --- 3. compressed (RFC 3274, built by python zlib) then signed ---
x12 ACMESUPPLY 000000002 PO-2 >"$T/po2.x12"
entity po2.x12 "$T/po2.x12" "$T/e2"
python3 - "$T/e2" "$T/z2" <<'PY'
import sys, zlib, base64
data = zlib.compress(open(sys.argv[1], "rb").read())
def tlv(tag, body):
    n = len(body)
    if n < 128: l = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big"); l = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + l + body
oid = lambda s: bytes.fromhex(s)
ci = tlv(0x30, oid("060b2a864886f70d0109100109") + tlv(0xa0, tlv(0x30,
    bytes.fromhex("020100") + tlv(0x30, oid("060b2a864886f70d0109100308")) +
    tlv(0x30, oid("06092a864886f70d010701") + tlv(0xa0, tlv(0x04, data))))))
b64 = base64.encodebytes(ci).replace(b"\n", b"\r\n")
open(sys.argv[2], "wb").write(b'Content-Type: application/pkcs7-mime; smime-type=compressed-data; name="smime.p7z"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n" + b64)
PY
sign_smime "$T/z2" "$T/a.key" "$T/a.pem" "$T/s2"
encrypt_der "$T/s2" "$T/m2.der"
post "$T/m2.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m2@test>'
no_line "$T/resp.body" 'processed/error'
expect_line "$T/resp.body" "Received-Content-MIC: $(mic_of "$T/z2" | sed 's/[+/]/./g')"
[ "$(entries)" -eq 3 ] || fail "the compressed message is spooled"
grep -rlq 'PO-2' "$SB/in" || fail "the decompressed payload is in in/"

# opaque signing (smime-type=signed-data, the content inside), encrypted
x12 ACMESUPPLY 000000004 PO-4 >"$T/po4.x12"
entity po4.x12 "$T/po4.x12" "$T/e4"
openssl cms -sign -binary -nodetach -md sha256 -in "$T/e4" -signer "$T/a.pem" \
	-inkey "$T/a.key" -outform DER -out "$T/o4.der" 2>/dev/null || fail "openssl cms -sign -nodetach"
{ printf 'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\nContent-Transfer-Encoding: binary\r\n\r\n'; cat "$T/o4.der"; } >"$T/s4o"
encrypt_der "$T/s4o" "$T/m4o.der"
post "$T/m4o.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m4o@test>'
no_line "$T/resp.body" 'processed/error'
expect_line "$T/resp.body" "Received-Content-MIC: $(mic_of "$T/e4" | sed 's/[+/]/./g')"
[ "$(entries)" -eq 4 ] || fail "the opaque-signed message is spooled"

# --- 4. tampered content: integrity-check-failed, nothing spooled ---
x12 ACMESUPPLY 000000003 PO-3 >"$T/po3.x12"
entity po3.x12 "$T/po3.x12" "$T/e3"
sign_smime "$T/e3" "$T/a.key" "$T/a.pem" "$T/s3"
sed -i 's/PO-3/PO-9/' "$T/s3"
encrypt_der "$T/s3" "$T/m3.der"
post "$T/m3.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m3@test>'
expect_line "$T/resp.body" 'processed/error: integrity-check-failed'
[ "$(entries)" -eq 4 ] || fail "a tampered message is not spooled"

# --- 5. signed with another certificate: authentication-failed ---
sign_smime "$T/e3" "$T/c.key" "$T/c.pem" "$T/s4"
encrypt_der "$T/s4" "$T/m4.der"
post "$T/m4.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m4@test>'
expect_line "$T/resp.body" 'processed/error: authentication-failed'
[ "$(entries)" -eq 4 ] || fail "a message signed by a stranger is not spooled"

# --- 6. encrypted for someone else: decryption-failed; unknown names ---
openssl cms -encrypt -binary -aes128 -in "$T/s1" -outform DER -out "$T/m5.der" "$T/c.pem" 2>/dev/null
post "$T/m5.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m5@test>'
expect_line "$T/resp.body" 'processed/error: decryption-failed'
post "$T/m1.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m6@test>' NOBODY
expect_line "$T/resp.body" 'processed/error: unknown-trading-relationship'
# signed but not encrypted while the profile requires encryption
post "$T/s1" "$(sed -n 's/^Content-Type: //Ip' "$T/s1" | head -1 | tr -d '\r')" '<m7@test>' 2>/dev/null || true
[ "$(entries)" -eq 4 ] || fail "refused messages are not spooled"

# --- A: the sending edigate; partner bee = B ---
mkdir -p "$T/a/partners"
PA=$(free_port)
PC=$(free_port)
cat >"$T/a/edigate.yaml" <<YAML
spool: spool
maps: $top/maps
partners: partners
serve: {address: 127.0.0.1, port: $PA}
YAML
bee_profile() { # extra as2 lines
	cat >"$T/a/partners/bee.yaml" <<YAML
id: bee
interchange: {them: ["ZZ:BEE"], us: ["ZZ:ACMESUPPLY"]}
as2:
  their_id: EDIGATE-B
  our_id: EDIGATE-A
  url: ${BEE_URL:-http://127.0.0.1:$PB/as2}
  their_certificate: $T/b.pem
  our_certificate: $T/a.pem
  our_key: $T/a.key
  retry_wait: 1
$(printf '%s\n' "$@" | sed 's/^/  /')
YAML
}
cat >"$T/a/partners/cap.yaml" <<YAML
id: cap
interchange: {them: ["ZZ:CAPTURE"]}
as2:
  their_id: CAPTURE
  our_id: EDIGATE-A
  url: http://127.0.0.1:$PC/as2
  their_certificate: $T/b.pem
  our_certificate: $T/a.pem
  our_key: $T/a.key
  mdn: none
  compress: after-signing
  micalg: sha1
  micalg_spelling: sha256
  cipher: aes128-cbc
  retries: 0
YAML
EA() { "$EDIGATE" -c "$T/a/edigate.yaml" "$@"; }
SA=$T/a/spool
outbound() { # PARTNER NAME FILE
	mkdir -p "$SA/outbound/$1"
	cp "$3" "$SA/outbound/$1/.$2" && mv "$SA/outbound/$1/.$2" "$SA/outbound/$1/$2"
}

# --- 7. edigate sends, openssl opens: a capturing HTTP server ---
bee_profile "compress: before-signing"
cat >"$T/capture.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers["Content-Length"])
        open(sys.argv[2] + ".body", "wb").write(self.rfile.read(n))
        open(sys.argv[2] + ".head", "w").write(str(self.headers))
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$T/capture.py" "$PC" "$T/cap" &
cap_pid=$!
cleanup_hooks+=("kill $cap_pid")
wait_port "$PC"
EA partners >/dev/null 2>&1 || { EA partners; fail "A's profiles load"; }
mkdir -p "$SA"
x12 ACMESUPPLY 000000010 PO-10 >"$T/po10.x12"
outbound cap po10.x12 "$T/po10.x12"
expect_exit 0 EA push --partner cap
expect_line "$T/out" '^edigate push: 1 file to 1 partner'
expect_line "$T/cap.head" '^AS2-From: EDIGATE-A'
expect_line "$T/cap.head" '^AS2-To: CAPTURE'
expect_line "$T/cap.head" '^Message-ID: <edigate-[0-9a-f]+@EDIGATE-A>'
no_line "$T/cap.head" '^Transfer-Encoding: chunked'
expect_line "$T/cap.head" '^Content-Length: '
expect_line "$T/cap.head" 'smime-type=enveloped-data'
openssl cms -decrypt -binary -inform DER -in "$T/cap.body" -recip "$T/b.pem" \
	-inkey "$T/b.key" -out "$T/cap.dec" 2>"$T/openssl.err" ||
	{ cat "$T/openssl.err"; fail "openssl cannot decrypt what edigate sent"; }
expect_line "$T/cap.dec" 'smime-type=compressed-data'
# compressed after signing: inflate (python), then openssl verifies
python3 - "$T/cap.dec" "$T/cap.signed" <<'PY'
import sys, base64, zlib, subprocess
raw = open(sys.argv[1], "rb").read()
body = raw.split(b"\r\n\r\n", 1)[1]
der = base64.b64decode(body) if b"base64" in raw.split(b"\r\n\r\n", 1)[0] else body
i = der.find(bytes.fromhex("060b2a864886f70d0109100308"))  # zlib algorithm
assert i > 0, "no zlib algorithm identifier"
j = der.find(bytes.fromhex("06092a864886f70d010701"), i)  # id-data
k = j + 11 + 2  # [0] header (short or long form)
if der[j + 12] & 0x80: k += der[j + 12] & 0x7f
assert der[k] == 0x04
l = der[k + 1]; k += 2
if l & 0x80:
    n = l & 0x7f; l = int.from_bytes(der[k:k + n], "big"); k += n
open(sys.argv[2], "wb").write(zlib.decompress(der[k:k + l]))
PY
expect_line "$T/cap.signed" 'micalg=sha1'
# openssl's S/MIME reader rewrites line ends in binary content, so the
# parts are split here (byte-exact) and openssl checks the signature
python3 - "$T/cap.signed" "$T/cap.payload" "$T/cap.sig" <<'PY'
import sys, re, base64
raw = open(sys.argv[1], "rb").read()
head, body = raw.split(b"\r\n\r\n", 1)
b = re.search(rb'boundary="([^"]+)"', head).group(1)
parts = body.split(b"--" + b)
first = parts[1][2:-2]  # after the boundary line's CRLF, before the CRLF
open(sys.argv[2], "wb").write(first)
sig = parts[2].split(b"\r\n\r\n", 1)[1]
open(sys.argv[3], "wb").write(base64.b64decode(sig))
PY
openssl cms -verify -binary -inform DER -in "$T/cap.sig" -content "$T/cap.payload" \
	-CAfile "$T/a.pem" -out /dev/null 2>"$T/openssl.err" ||
	{ cat "$T/openssl.err"; fail "openssl cannot verify edigate's signature"; }
expect_line "$T/cap.payload" '^Content-Disposition: attachment; filename="po10.x12"'
grep -q 'PO-10' "$T/cap.payload" || fail "the payload reached the capture"
[ -z "$(ls "$SA/outbound/cap")" ] || fail "outbound/cap is empty after the push"
ls "$SA"/sent/*/cap/po10.x12 >/dev/null || fail "po10.x12 in sent/"
ls "$SA"/sent/*/cap/po10.x12.receipt.json >/dev/null || fail "its receipt in sent/"

# --- 8. edigate to edigate, sync MDN, signed + encrypted + compressed ---
x12 ACMESUPPLY 000000011 PO-11 >"$T/po11.x12"
outbound bee po11.x12 "$T/po11.x12"
expect_exit 0 EA push --partner bee
expect_line "$T/out" '^edigate push: 1 file to 1 partner'
ls "$SA"/sent/*/bee/po11.x12.mdn >/dev/null || fail "the sync mdn is kept in sent/"
expect_line "$(ls "$SA"/sent/*/bee/po11.x12.receipt.json)" '"disposition": ?"automatic-action/MDN-sent-automatically; processed"'
expect_line "$(ls "$SA"/sent/*/bee/po11.x12.receipt.json)" '"mdn_signed": ?true'
[ "$(entries)" -eq 5 ] || fail "B spooled what A sent"
grep -rlq 'PO-11' "$SB/in" || fail "PO-11 in B's in/"
expect_line "$(grep -rl 'PO-11' "$SB/in" | head -1 | xargs dirname)/meta.json" '"compressed": ?true'

# a push cut short after the partner stored the file (crash before the
# move to sent/): the file is back in outbound/ and its journal row still
# says "sending"; the next push resends it under the same Message-ID, the
# partner answers with the MDN it kept, and nothing is stored twice
cp "$T/po11.x12" "$SA/outbound/bee/po11.x12"
python3 - "$SA/state/journal.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = db.execute("UPDATE as2_messages SET status = 'sending' WHERE direction = 'out'"
               " AND name = 'po11.x12'").rowcount
db.commit()
assert n == 1, n
PY
mid11=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT message_id FROM as2_messages WHERE name = ?", ("po11.x12",)).fetchone()[0])' "$SA/state/journal.db")
expect_exit 0 EA push --partner bee
[ "$(entries)" -eq 5 ] || fail "the resent file is not stored twice"
wait_line "$T/b.log" "$mid11 again: not spooled twice"

# base64 transfer encoding, dashless micalg, compression after signing
bee_profile "compress: after-signing" "transfer_encoding: base64" "micalg_spelling: sha256"
x12 ACMESUPPLY 000000012 PO-12 >"$T/po12.x12"
outbound bee po12.x12 "$T/po12.x12"
expect_exit 0 EA push --partner bee
[ "$(entries)" -eq 6 ] || fail "B spooled the base64 one"

# --- 9. async MDN: back to A's own serve ---
bee_profile "mdn: async" "mdn_url: http://127.0.0.1:$PA/as2"
"$EDIGATE" -c "$T/a/edigate.yaml" serve >"$T/a.log" 2>&1 &
a_pid=$!
cleanup_hooks+=("kill $a_pid")
wait_port "$PA"
x12 ACMESUPPLY 000000013 PO-13 >"$T/po13.x12"
outbound bee po13.x12 "$T/po13.x12"
expect_exit 0 EA push --partner bee
expect_line "$T/out" '^edigate push: 1 file to 1 partner'
expect_line "$(ls "$SA"/sent/*/bee/po13.x12.receipt.json)" '"mdn": ?"async"'
wait_line "$T/a.log" 'as2 bee: mdn for <edigate-.*processed'
for _ in $(seq 50); do ls "$SA"/sent/*/bee/po13.x12.mdn >/dev/null 2>&1 && break; sleep 0.1; done
ls "$SA"/sent/*/bee/po13.x12.mdn >/dev/null || fail "the async mdn is kept in sent/"
[ "$(entries)" -eq 7 ] || fail "B spooled the async one"
wait_line "$T/b.log" 'async mdn delivered'

# --- 10. the receiver killed mid-upload: nothing half, then once ---
bee_profile "max_send_rate: 1000000" "retries: 30"
python3 - "$T/big.x12" <<'PY'
import sys
f = ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "ACMESUPPLY".ljust(15), "ZZ",
     "DISTRIBCO".ljust(15), "261127", "0930", "U", "00401", "000000020", "0", "P", ">"]
segs = [["ST", "850", "0001"], ["BEG", "00", "SA", "PO-BIG", "", "20261120"]]
segs += [["PO1", str(i), "2", "EA", "1.50", "", "UP", "012345678905"] for i in range(1, 100000)]
segs += [["CTT", "99999"]]
segs.append(["SE", str(len(segs) + 1), "0001"])
body = "~".join("*".join(s) for s in segs)
open(sys.argv[1], "w").write("*".join(f) + "~GS*PO*ACMESUPPLY*DISTRIBCO*20261127*0930*1*X*004010~"
      + body + "~GE*1*1~IEA*1*000000020~\n")
PY
outbound bee big.x12 "$T/big.x12"
before=$(entries)
EA push --partner bee --verbose >"$T/push-big.out" 2>&1 &
push_pid=$!
sleep 1.5
tr '\0' ' ' <"/proc/$(cat "$T/b.pid")/cmdline" | grep -q 'edigate.* serve' ||
	fail "b.pid is the receiver itself"
kill -9 "$(cat "$T/b.pid")"
wait "$(cat "$T/b.pid")" 2>/dev/null || true
rm -f "$T/b.pid"
if python3 -c "import socket; socket.create_connection(('127.0.0.1',$PB),0.5)" 2>/dev/null; then
	fail "the receiver is dead"
fi
[ "$(entries)" -eq "$before" ] || fail "nothing of the cut-short upload is in in/"
[ -z "$(find "$SB/tmp" -type f 2>/dev/null)" ] || fail "nothing of it is in tmp/"
kill -0 "$push_pid" 2>/dev/null || { cat "$T/push-big.out"; fail "the sender is still retrying"; }
start_b
wait "$push_pid" || { cat "$T/push-big.out"; fail "the push finished after the restart"; }
[ "$(entries)" -eq $((before + 1)) ] || fail "the big file arrived once"
[ "$(grep -rl 'PO-BIG' "$SB/in" | wc -l)" -eq 1 ] || fail "exactly one copy of the big file"
cmp "$(grep -rl 'PO-BIG' "$SB/in")" "$T/big.x12" || fail "the big file arrived whole"
expect_line "$(ls "$SA"/sent/*/bee/big.x12.receipt.json)" '"attempts": ?([2-9]|[1-9][0-9])'
[ "$(grep -c "received 'big.x12'" "$T/b.log")" -eq 1 ] || fail "received once"

# --- 11. the partner boundary: acme's AS2 carrying OTHERCO's interchange ---
x12 OTHERCO 000000030 PO-30 >"$T/po30.x12"
entity po30.x12 "$T/po30.x12" "$T/e30"
sign_smime "$T/e30" "$T/a.key" "$T/a.pem" "$T/s30"
encrypt_der "$T/s30" "$T/m30.der"
post "$T/m30.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m30@test>'
no_line "$T/resp.body" 'processed/error'
EB run >"$T/run.out" 2>&1 || true
expect_exit 0 EB errors
expect_line "$T/out" "partner +other +po30.x12: received from partner 'acme' \(as2:acme\)"

# --- 12. hostile requests: clear answers, nothing stored, still serving ---
before=$(entries)
hostile() { # EXPECTED-STATUS CONTENT-TYPE BODY-FILE [MESSAGE-ID]
	local got
	got=$(curl -sS -o "$T/resp.body" -w '%{http_code}' \
		-H "AS2-From: EDIGATE-A" -H "AS2-To: EDIGATE-B" \
		-H "Message-ID: ${4:-<h$RANDOM@test>}" -H "Disposition-Notification-To: x" \
		-H "Content-Type: $2" -H "Expect:" --data-binary "@$3" \
		"http://127.0.0.1:$PB/as2")
	[ "$got" = "$1" ] || { cat "$T/resp.body"; fail "hostile '$2': http $got, wanted $1"; }
}
head -c 5000 /dev/urandom >"$T/junk"
hostile 200 'application/pkcs7-mime; smime-type=enveloped-data' "$T/junk"
expect_line "$T/resp.body" 'processed/error: (decryption-failed|unexpected-processing-error)'
hostile 200 'multipart/signed; boundary="x"' "$T/junk"
expect_line "$T/resp.body" 'processed/error'
printf -- '--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--x--\r\n' >"$T/badsig"
hostile 200 'multipart/signed; boundary="x"; micalg=sha-256' "$T/badsig"
expect_line "$T/resp.body" 'processed/error: authentication-failed'
hostile 200 'multipart/signed' "$T/badsig"
expect_line "$T/resp.body" 'processed/error'
# a refusal never goes to a URL the unverified message names
curl -sS -o "$T/resp.body" -H "AS2-From: EDIGATE-A" -H "AS2-To: EDIGATE-B" \
	-H "Message-ID: <h-async@test>" -H "Disposition-Notification-To: x" \
	-H "Receipt-Delivery-Option: http://127.0.0.1:$PA/elsewhere" \
	-H "Content-Type: multipart/signed; boundary=\"x\"" -H "Expect:" \
	--data-binary "@$T/badsig" "http://127.0.0.1:$PB/as2"
expect_line "$T/resp.body" 'processed/error: authentication-failed'
printf 'ISA~' >"$T/plain"
hostile 200 'application/edi-x12' "$T/plain"
expect_line "$T/resp.body" 'processed/error: insufficient-message-security'
curl -sS -o "$T/resp.body" -w '%{http_code}' -H "Content-Type: text/plain" \
	--data-binary @"$T/plain" "http://127.0.0.1:$PB/as2" >"$T/code"
[ "$(cat "$T/code")" = 400 ] || fail "a POST without AS2 headers is a 400"
[ "$(entries)" -eq "$before" ] || fail "hostile requests store nothing"
post "$T/m2.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m2@test>'
no_line "$T/resp.body" 'processed/error'

# an async MDN to a URL that never answers holds up nobody
PH=$(free_port)
python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',$PH)); s.listen(8); time.sleep(120)" &
hang_pid=$!
cleanup_hooks+=("kill $hang_pid")
wait_port "$PH"
curl -sS -o "$T/resp.body" -H "AS2-From: EDIGATE-A" -H "AS2-To: EDIGATE-B" \
	-H "Message-ID: <slow@test>" -H "Disposition-Notification-To: x" \
	-H "Receipt-Delivery-Option: http://127.0.0.1:$PH/as2" -H "Expect:" \
	-H 'Content-Type: application/pkcs7-mime; smime-type=enveloped-data' \
	--data-binary "@$T/m2.der" "http://127.0.0.1:$PB/as2"
expect_line "$T/resp.body" 'the mdn follows'
start=$(date +%s%N)
post "$T/m1.der" 'application/pkcs7-mime; smime-type=enveloped-data' '<m1@test>'
elapsed=$((($(date +%s%N) - start) / 1000000))
expect_line "$T/resp.body" 'Original-Message-ID: <m1@test>'
[ "$elapsed" -lt 5000 ] || fail "a sync answer took ${elapsed} ms while an async mdn hung"
kill "$hang_pid"
wait "$hang_pid" 2>/dev/null || true

# --- 13. TLS: serve over https, push with the partner's CA ---
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tls.key" -out "$T/tls.pem" \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" -days 2 2>/dev/null
PT=$(free_port)
mkdir -p "$T/tls"
cat >"$T/tls/edigate.yaml" <<YAML
spool: $SB
maps: $top/maps
partners: $T/b/partners
serve: {address: 127.0.0.1, port: $PT, tls_certificate: ../tls.pem, tls_key: ../tls.key}
limits: {max_file_bytes: 64K}
YAML
"$EDIGATE" -c "$T/tls/edigate.yaml" serve >"$T/tls.log" 2>&1 &
tls_pid=$!
cleanup_hooks+=("kill $tls_pid")
wait_port "$PT"
expect_line "$T/tls.log" 'listening on 127.0.0.1 port [0-9]+ \(https\)'
# a body over the limit: 413, read no further
head -c 1500000 /dev/urandom >"$T/toobig"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$T/tls.pem" \
	-H "AS2-From: EDIGATE-A" -H "AS2-To: EDIGATE-B" -H "Message-ID: <big@t>" \
	-H "Content-Type: application/pkcs7-mime" -H "Expect:" \
	--data-binary @"$T/toobig" "https://127.0.0.1:$PT/as2")
[ "$code" = 413 ] || fail "a body over the limit is a 413, not $code"
BEE_URL=https://127.0.0.1:$PT/as2 bee_profile "ca_file: $T/tls.pem"
x12 ACMESUPPLY 000000050 PO-50 >"$T/po50.x12"
outbound bee po50.x12 "$T/po50.x12"
before=$(entries)
expect_exit 0 EA push --partner bee
[ "$(entries)" -eq $((before + 1)) ] || fail "sent over https"
# without the partner's CA the push fails, and the file waits
x12 ACMESUPPLY 000000051 PO-51 >"$T/po51.x12"
outbound bee po51.x12 "$T/po51.x12"
BEE_URL=https://127.0.0.1:$PT/as2 bee_profile "retries: 0"
expect_exit 75 EA push --partner bee
expect_line "$T/err" 'certificate'
[ -f "$SA/outbound/bee/po51.x12" ] || fail "po51.x12 waits in outbound/"
kill "$tls_pid" && wait "$tls_pid" || true

# --- 14. libas2 (npm) as the partner, where it installs ---
# libas2 0.8.2 (PKIjs) cannot sign with an RSA key under Node's WebCrypto
# ("Unsupported signature algorithm: RSAES-PKCS1-v1_5") nor decrypt RSA
# PKCS#1 v1.5 key transport, so: libas2 encrypts to us and checks our
# signed MDN; we sign to it and check its (unsigned) MDN's MIC.
if command -v node >/dev/null &&
	timeout 180 npm install --prefix "$T/npm" --silent --no-audit --no-fund \
		libas2 >"$T/npm.log" 2>&1; then
	export NODE_PATH=$T/npm/node_modules
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/l.key" \
		-out "$T/l.pem" -subj "/CN=edigate-test-libas2" -days 2 2>/dev/null
	PL=$(free_port)
	cat >"$T/b/partners/lib.yaml" <<YAML
id: lib
interchange: {them: ["ZZ:LIBAS2"], us: ["ZZ:DISTRIBCO"]}
as2:
  their_id: LIBAS2
  our_id: EDIGATE-B
  their_certificate: $T/l.pem
  our_certificate: $T/b.pem
  our_key: $T/b.key
  require_signed: false
YAML
	stop_b
	start_b
	# libas2 sends (encrypted), edigate stores and answers a signed MDN
	x12 LIBAS2 000000040 PO-40 >"$T/po40.x12"
	before=$(entries)
	node "$top/tests/integration/as2_libas2.js" send "http://127.0.0.1:$PB/as2" \
		"$T/l.key" "$T/l.pem" "$T/b.pem" "$T/po40.x12" >"$T/lib.out" 2>&1 ||
		{ cat "$T/lib.out"; tail -5 "$T/b.log"; fail "libas2 sends to edigate serve"; }
	expect_line "$T/lib.out" '"processed":true'
	no_line "$T/lib.out" 'error'
	expect_line "$T/lib.out" '^mic: .*sha-256'
	[ "$(entries)" -eq $((before + 1)) ] || fail "what libas2 sent is in in/"
	cmp "$(grep -rl 'PO-40' "$SB/in")" "$T/po40.x12" || fail "libas2's payload arrived whole"
	# edigate sends (signed), libas2 verifies and answers with its MDN
	cat >"$T/a/partners/lib.yaml" <<YAML
id: lib
interchange: {them: ["ZZ:LIBAS2"]}
as2:
  their_id: LIBAS2
  our_id: EDIGATE-A
  url: http://127.0.0.1:$PL/as2
  their_certificate: $T/l.pem
  our_certificate: $T/a.pem
  our_key: $T/a.key
  encrypt: false
  signed_mdn: false
  retries: 0
YAML
	node "$top/tests/integration/as2_libas2.js" receive "$PL" "$T/l.key" \
		"$T/l.pem" "$T/a.pem" "$T/lib.got" >"$T/lib-recv.log" 2>&1 &
	lib_pid=$!
	cleanup_hooks+=("kill $lib_pid")
	wait_port "$PL"
	x12 ACMESUPPLY 000000041 PO-41 >"$T/po41.x12"
	outbound lib po41.x12 "$T/po41.x12"
	EA push --partner lib --verbose >"$T/out" 2>"$T/err" ||
		{ cat "$T/out" "$T/err" "$T/lib-recv.log"; fail "edigate push to libas2"; }
	expect_line "$T/err" "sent 'po41.x12' as .*mdn verified"
	# libas2's parser keeps the CRLF before the closing boundary
	python3 -c 'import sys; a=open(sys.argv[1],"rb").read(); b=open(sys.argv[2],"rb").read(); sys.exit(0 if a in (b, b+b"\r\n") else 1)' \
		"$T/lib.got" "$T/po41.x12" || fail "libas2 got the payload"
	expect_line "$(ls "$SA"/sent/*/lib/po41.x12.mdn)" 'node-libas2'
	echo "NOTE as2: libas2 $(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$T/npm/node_modules/libas2/package.json") both ways (it cannot sign or decrypt RSA here: encrypted to us, signed to it)"
else
	echo "SKIP libas2: npm install libas2 failed (no registry access?)"
fi
stop_b
kill "$a_pid" && wait "$a_pid" || true
# the listeners ran under the sanitizers too: nothing reported at exit
no_line "$T/b.log" 'Sanitizer|runtime error'
no_line "$T/a.log" 'Sanitizer|runtime error'
expect_line "$T/b.log" '^edigate serve: stopped'
echo "NOTE as2: openssl cms -> serve (signed, encrypted, compressed) and push -> openssl cms; edigate to edigate sync/async MDN, TLS; tampered, wrong certificate, wrong recipient, unknown names, duplicate, hostile bodies; SIGKILL mid-upload: nothing half, sent once"
