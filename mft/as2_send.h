/*
 * as2_send - send an AS2 message (or an async MDN) over HTTP with libcurl.
 *
 * as2_http_post() is one POST: the given header lines and body (always
 * with Content-Length, never chunked; no "Expect: 100-continue"), the
 * response status, headers and body kept (capped).  Connection failures,
 * time-outs and 5xx answers are EDI_ETEMP (worth a retry), other non-2xx
 * answers EDI_EDATA.
 *
 * as2_send() builds the message for a partner (as2_msg), POSTs it with
 * the AS2 headers, resending the same bytes under the same Message-ID up
 * to p->retries times after a temporary failure, and for a synchronous
 * MDN reads and verifies the receipt in the response: its signature (when
 * one was asked for), its Original-Message-ID, its Received-Content-MIC
 * against the MIC computed here, and its disposition.  Any mismatch or a
 * negative disposition fails (EDI_EDATA) with the MDN kept in the result
 * for the record.  For an asynchronous MDN a 2xx answer is success; the
 * receipt arrives later at our listener (see as2_mdn).  Nothing printed.
 */
#ifndef EDI_AS2_SEND_H
#define EDI_AS2_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "as2_mdn.h"
#include "as2_msg.h"
#include "buf.h"
#include "edi_error.h"

#define AS2_HTTP_MAX_RESPONSE (4u << 20)

struct as2_http_request {
	const char *url;
	const char *headers; /* "Name: value\r\n" lines */
	struct strview body;
	unsigned timeout_s;	/* whole request, 0: 300 */
	const char *ca_file;	/* https: trust this (NULL: system store) */
	uint64_t max_send_rate; /* bytes/s, 0: no limit */
};

struct as2_http_response {
	long status;
	struct buf headers; /* the last header block, raw */
	struct buf body;
};

/*
 * libcurl's global set-up: call once before threads use as2_http_post()
 * (the listener's async MDN jobs); as2_http_cleanup() at the end.
 */
void as2_http_init(void);
void as2_http_cleanup(void);
/* resp is initialized here; release it with as2_http_response_release. */
enum edi_code as2_http_post(const struct as2_http_request *r,
			    struct as2_http_response *resp,
			    struct edi_error *err);
void as2_http_response_release(struct as2_http_response *resp);
/* A header of the response (case-insensitive name); false when none. */
bool as2_http_header(const struct as2_http_response *resp, const char *name,
		     struct strview *value);

struct as2_send_result {
	char message_id[AS2_MSGID_MAX]; /* as sent, with <> */
	char mic[AS2_MIC_MAX];		/* what the MDN must return */
	long http_status;
	unsigned attempts;
	bool have_mdn;
	struct as2_mdn mdn;
	struct buf mdn_raw; /* the MDN as received: headers, blank line, body */
};

/*
 * Send payload (named filename) to partner p under message_id (a fresh
 * one when empty; "<...>" form), waiting p->retry_wait_s between tries.
 * on_built (may be NULL) is called once the message is built, before the
 * first byte goes out, with the MIC the MDN must return (so an async MDN
 * that comes back fast can be checked); a failure there stops the send.
 * r is initialized here; release it with as2_send_result_release().
 */
enum edi_code as2_send(const struct as2_partner *p, const struct as2_keys *k,
		       struct strview payload, const char *filename,
		       const char *message_id,
		       enum edi_code (*on_built)(void *ctx, const char *mic,
						 struct edi_error *err),
		       void *ctx, struct as2_send_result *r,
		       struct edi_error *err);
void as2_send_result_release(struct as2_send_result *r);
/* A fresh Message-ID "<edigate-HEX@our_id>" into out. */
void as2_new_message_id(const char *our_id, char out[AS2_MSGID_MAX]);
/* Is s a usable AS2 name (1..128 printable ASCII, quoted if spaces)? */
bool as2_id_valid(const char *s);

#endif
