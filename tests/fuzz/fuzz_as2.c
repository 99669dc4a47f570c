/*
 * fuzz_as2 - libFuzzer target for what an AS2 peer controls: the MIME
 * entity parser, multipart splitting, message opening (every layer:
 * pkcs7-mime, compressed-data, multipart/signed) and MDN parsing.
 *
 * The input's first line is the Content-Type, the rest the body.  With
 * no keys, opening stops at encryption and signatures, but everything
 * before them (MIME, base64, CMS parsing, zlib) is reached; nothing may
 * crash or trip ASan/UBSan, and every failure must say which MDN
 * disposition it deserves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "as2_mdn.h"
#include "as2_mime.h"
#include "as2_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nl = memchr(p, '\n', size);
	struct strview ct, body, parts[8];
	struct as2_keys none;
	struct as2_open_opts oo;
	struct as2_opened o;
	struct as2_entity e;
	struct as2_mdn mdn;
	size_t n;
	char out[64];

	if (!nl)
		return 0;
	ct = sv_make(p, (size_t)(nl - p));
	body = sv_make(nl + 1, size - (size_t)(nl - p) - 1);
	memset(&none, 0, sizeof(none));
	memset(&oo, 0, sizeof(oo));
	oo.max_bytes = 1u << 20;
	if (as2_msg_open(ct, SV_LIT(""), body, &none, &oo, &o, NULL) !=
		    EDI_OK &&
	    o.fail == AS2_FAIL_NONE)
		abort(); /* a failure must name its disposition */
	as2_opened_release(&o);
	as2_mdn_parse(ct, body, NULL, false, &mdn, NULL);
	if (as2_mime_parse(body, &e, NULL) == EDI_OK &&
	    as2_mime_param(ct, "boundary", out, sizeof(out)))
		as2_mime_parts(e.body, out, parts, 8, &n, NULL);
	as2_mime_filename(ct, out, sizeof(out));
	return 0;
}
