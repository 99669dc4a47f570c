/*
 * spool_receive - received files into in/; see spool_receive.h.
 */
#include "spool_receive.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strview.h"
#include "spool_move.h"

static void finish(struct spool_receipt *r)
{
	EVP_MD_CTX_free(r->hash);
	r->hash = NULL;
	r->open = false;
}

void spool_receive_abort(struct spool_receipt *r)
{
	if (!r->open)
		return;
	fileio_abort(&r->w);
	fileio_remove_tree(r->dir, NULL);
	finish(r);
}

enum edi_code spool_receive_open(struct spool_receipt *r,
				 const struct spool *sp, const char *name,
				 const char *source, const char *partner,
				 uint64_t max_bytes, time_t now,
				 struct edi_error *err)
{
	char tmp[FILEIO_PATH_MAX];
	enum edi_code rc;

	memset(r, 0, sizeof(*r));
	r->sp = sp;
	r->max_bytes = max_bytes;
	rc = spool_id_new(sp, partner, now, r->meta.id, err);
	if (rc == EDI_OK)
		rc = spool_state_path(sp, SPOOL_TMP, tmp, sizeof(tmp), err);
	if (rc == EDI_OK)
		rc = fileio_join(r->dir, sizeof(r->dir), tmp, r->meta.id, err);
	if (rc)
		return rc;
	str_copy(r->meta.name, sizeof(r->meta.name), name);
	spool_stored_name(name, r->meta.file);
	str_copy(r->meta.source, sizeof(r->meta.source), source);
	str_copy(r->meta.partner, sizeof(r->meta.partner),
		 partner ? partner : "");
	r->meta.received = now;
	if (mkdir(r->dir, SPOOL_DIR_MODE) != 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot receive '%s': cannot create '%s': %s",
				name, r->dir, strerror(errno));
	r->hash = EVP_MD_CTX_new();
	if (!r->hash || !EVP_DigestInit_ex(r->hash, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(r->hash);
		fileio_remove_tree(r->dir, NULL);
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot receive '%s': SHA-256 is not available",
				name);
	}
	/* the temp file starts with a dot: spool_open() removes it after a
	 * crash, and with it the entry, since no data file is there */
	rc = fileio_begin(&r->w, r->dir, r->meta.file, err);
	if (rc) {
		EVP_MD_CTX_free(r->hash);
		fileio_remove_tree(r->dir, NULL);
		return rc;
	}
	r->w.no_dir_sync = true; /* commit fsyncs the entry folder below */
	r->open = true;
	return EDI_OK;
}

enum edi_code spool_receive_write(struct spool_receipt *r, const void *p,
				  size_t n, struct edi_error *err)
{
	enum edi_code rc;

	if (!r->open)
		return edi_fail(err, EDI_EUSAGE, NULL, "receipt is not open");
	if (r->max_bytes && r->meta.size + n > r->max_bytes) {
		rc = edi_fail(err, EDI_ELIMIT, NULL,
			      "cannot receive '%s': larger than %llu bytes",
			      r->meta.name, (unsigned long long)r->max_bytes);
		spool_receive_abort(r);
		return rc;
	}
	rc = fileio_write(&r->w, p, n, err);
	if (rc) {
		spool_receive_abort(r);
		return rc;
	}
	EVP_DigestUpdate(r->hash, p, n);
	r->meta.size += n;
	return EDI_OK;
}

enum edi_code spool_receive_commit(struct spool_receipt *r,
				   const char *transport_json,
				   struct edi_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	enum edi_code rc;

	if (!r->open)
		return edi_fail(err, EDI_EUSAGE, NULL, "receipt is not open");
	if (transport_json &&
	    strlen(transport_json) >= sizeof(r->meta.transport)) {
		rc = edi_fail(err, EDI_ELIMIT, NULL,
			      "cannot receive '%s': transport details longer "
			      "than %d bytes",
			      r->meta.name, SPOOL_TRANSPORT_MAX - 1);
		spool_receive_abort(r);
		return rc;
	}
	if (transport_json)
		str_copy(r->meta.transport, sizeof(r->meta.transport),
			 transport_json);
	EVP_DigestFinal_ex(r->hash, md, &mdlen);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(r->meta.sha256 + 2 * i, 3, "%02x", md[i]);
	/* meta.json first, then the data file: an entry folder with its
	 * data file is complete (spool_open() keeps it) */
	rc = spool_meta_write_ex(r->dir, &r->meta, false, err);
	if (rc == EDI_OK)
		rc = fileio_commit(&r->w, err); /* fsync + rename */
	else
		fileio_abort(&r->w);
	if (rc == EDI_OK)
		rc = fileio_fsync_dir(r->dir, err);
	if (rc == EDI_OK)
		rc = spool_move(r->sp, r->meta.id, SPOOL_TMP, SPOOL_IN,
				r->meta.received, err);
	if (rc) {
		/* nothing reached in/: the sender keeps its file and sends
		 * again; a folder that cannot be moved is tidied later */
		fileio_remove_tree(r->dir, NULL);
		finish(r);
		return rc;
	}
	finish(r);
	return EDI_OK;
}

enum edi_code spool_receive_bytes(const struct spool *sp, const char *name,
				  const char *source, const char *partner,
				  const void *data, size_t len,
				  const char *transport_json, time_t now,
				  char id[SPOOL_ID_MAX], struct edi_error *err)
{
	struct spool_receipt r;
	enum edi_code rc;

	id[0] = '\0';
	rc = spool_receive_open(&r, sp, name, source, partner, 0, now, err);
	if (rc == EDI_OK)
		rc = spool_receive_write(&r, data, len, err);
	if (rc == EDI_OK)
		rc = spool_receive_commit(&r, transport_json, err);
	if (rc == EDI_OK)
		str_copy(id, SPOOL_ID_MAX, r.meta.id);
	return rc;
}
