/*
 * as2_mime - MIME entities as AS2 needs them, byte-exact.
 *
 * AS2 signs and digests MIME entities exactly as they travel, so nothing
 * here normalizes: as2_mime_parse() hands out views into the caller's
 * bytes (the whole entity, each header, the body), which live as long as
 * those bytes; the multipart splitter returns each part's exact bytes
 * (what a detached signature covers).  Header lines may end in CRLF or a
 * bare LF; folded header values are kept folded (as2_mime_param() and
 * as2_mime_type() skip the folding).  Untrusted input: every count and
 * length is bounded (AS2_MIME_MAX_HEADERS, AS2_MIME_MAX_HEADER_BYTES) and
 * a malformed entity fails with EDI_EDATA and a message, never a crash.
 *
 * The builders append to a struct buf: a header block, base64 text.
 */
#ifndef EDI_AS2_MIME_H
#define EDI_AS2_MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "edi_error.h"
#include "strview.h"

#define AS2_MIME_MAX_HEADERS	  64
#define AS2_MIME_MAX_HEADER_BYTES (64u << 10) /* the header block */
#define AS2_MIME_BOUNDARY_MAX	  71	      /* RFC 2046: 1..70 chars */
#define AS2_MIME_VALUE_MAX	  1024	      /* a parameter value copied */

struct as2_header {
	struct strview name;
	struct strview value; /* without leading space; folding kept */
};

struct as2_entity {
	struct strview raw; /* headers, blank line and body */
	struct as2_header headers[AS2_MIME_MAX_HEADERS];
	size_t nheaders;
	struct strview body;
};

/*
 * Split raw into headers and body.  An entity without a blank line after
 * its headers fails; so does a header line without ':' or a name with
 * spaces, and more than AS2_MIME_MAX_HEADERS headers.
 */
enum edi_code as2_mime_parse(struct strview raw, struct as2_entity *e,
			     struct edi_error *err);
/* The value of header name (case-insensitive), first one; false: none. */
bool as2_mime_header(const struct as2_entity *e, const char *name,
		     struct strview *value);
/*
 * The media type of a Content-Type value, lower case, into out ("" and
 * false when there is none or it does not fit).
 */
bool as2_mime_type(struct strview value, char *out, size_t size);
/*
 * Parameter param (case-insensitive) of a header value such as
 * `multipart/signed; boundary="b1"; micalg=sha-256`, unquoted, into out.
 * False when absent or longer than size-1.
 */
bool as2_mime_param(struct strview value, const char *param, char *out,
		    size_t size);
/*
 * The parts of a multipart body with boundary: each part's exact bytes
 * from after the boundary line up to (not including) the CRLF or LF that
 * precedes the next boundary.  At most max parts; EDI_EDATA when there is
 * no first boundary, no closing boundary, or more parts than max.
 */
enum edi_code as2_mime_parts(struct strview body, const char *boundary,
			     struct strview *parts, size_t max, size_t *nparts,
			     struct edi_error *err);
/*
 * The body of e decoded by its Content-Transfer-Encoding (base64; binary,
 * 8bit, 7bit or none: as is) into out (initialized by the caller).
 */
enum edi_code as2_mime_decode(const struct as2_entity *e, struct buf *out,
			      struct edi_error *err);

/* Base64 of data into out, lines of 76 characters ending in CRLF. */
enum edi_code as2_base64_encode(struct buf *out, const void *data, size_t len);
/* Decode base64 text (white space ignored) and append to out. */
enum edi_code as2_base64_decode(struct strview text, struct buf *out,
				struct edi_error *err);
/* A fresh random boundary or Message-ID part: 32 hex digits. */
void as2_mime_random(char out[33]);
/*
 * A safe file name from a Content-Disposition value (filename=...):
 * base name only, no leading dot, printable ASCII; false when there is
 * none usable.
 */
bool as2_mime_filename(struct strview disposition, char *out, size_t size);

#endif
