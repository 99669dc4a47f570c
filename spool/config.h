/*
 * config - edigate.yaml: where things are, the outputs, limits, retention.
 *
 * config_load() reads the file once (yaml_doc) into a struct config that
 * owns all its strings (an arena); the caller then passes it down as
 * const struct config *.  config_defaults() gives the same values without
 * a file.  Relative paths in the file (and the default ones) are taken
 * relative to the folder of the file.  Every mistake (unknown key, wrong
 * type, bad value) is added to errors as "file:line:col: what is wrong"
 * and the load fails with EDI_ECONFIG after looking at the whole file; a
 * file that cannot be read fails with EDI_ENOENT (missing) or EDI_ECONFIG.
 * docs/configuration.md describes every key; edigate.yaml.sample shows
 * them all.
 */
#ifndef EDI_CONFIG_H
#define EDI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config_rest.h"
#include "edi_error.h"

#define CONFIG_FILE_MAX	   (1u << 20) /* bytes of edigate.yaml */
#define CONFIG_MAX_OUTPUTS 64
#define CONFIG_NAME_MAX	   64 /* bytes of an output name */
#define CONFIG_URL_MAX	   2048

#define CONFIG_DEFAULT_SPOOL	    "var/spool"
#define CONFIG_DEFAULT_MAPS	    "maps"
#define CONFIG_DEFAULT_PARTNERS	    "partners"
#define CONFIG_DEFAULT_MAX_ERRORS   100
#define CONFIG_DEFAULT_MAX_FILE	    (256u << 20)
#define CONFIG_DEFAULT_MAX_SEGMENT  (1u << 20)
#define CONFIG_DEFAULT_MAX_SET	    (256u << 20)
#define CONFIG_DEFAULT_ARCHIVE_DAYS 90
#define CONFIG_DEFAULT_SENT_DAYS    90
#define CONFIG_DEFAULT_ERROR_DAYS   0 /* keep until replayed */
#define CONFIG_DEFAULT_WINDOW_DAYS  30
#define CONFIG_DEFAULT_BATCH_FILES  100
#define CONFIG_MAX_DAYS		    36500
#define CONFIG_MAX_BATCH_FILES	    100000

enum config_output_kind { CONFIG_OUTPUT_FILE, CONFIG_OUTPUT_REST };
enum config_format { CONFIG_FORMAT_JSONL, CONFIG_FORMAT_CSV };
enum config_method { CONFIG_METHOD_POST, CONFIG_METHOD_PUT };

struct config_output {
	const char *name; /* [A-Za-z0-9._-], the key under outputs */
	enum config_output_kind kind;
	/* kind file */
	enum config_format format;
	const char *dir; /* NULL: <spool>/out/<name> */
	/* kind rest (checked now, delivered by mft) */
	const char *url;
	enum config_method method;
	struct config_rest rest; /* batch, headers, auth, TLS, retry... */
};

struct config_limits {
	size_t max_errors;	  /* diagnostics kept per file */
	uint64_t max_file_bytes;  /* a received file */
	size_t max_segment_bytes; /* one X12 segment */
	size_t max_set_bytes;	  /* one transaction set */
};

/* Days before a file is deleted; 0 keeps it forever. */
struct config_retention {
	unsigned archive_days;
	unsigned sent_days;
	unsigned error_days;
};

struct config_duplicates {
	unsigned window_days; /* 0: no duplicate check */
	bool ignore;	      /* action: ignore (drop quietly), else reject */
};

struct config_run {
	unsigned batch_files; /* files per journal commit */
	bool pull;	      /* pull (SFTP) before processing; default on */
	bool push;	      /* push outbound/ after; default on */
};

/* serve: the AS2 listener (edigate serve) */
#define CONFIG_DEFAULT_SERVE_ADDRESS "127.0.0.1"
#define CONFIG_DEFAULT_SERVE_PORT    4080
#define CONFIG_DEFAULT_SERVE_TIMEOUT 120

struct config_serve {
	const char *address;	     /* IP literal to listen on */
	unsigned port;		     /* 0: any free port */
	const char *tls_certificate; /* PEM; NULL: plain HTTP */
	const char *tls_key;
	unsigned timeout_s; /* idle connection */
};

struct config {
	struct arena arena;
	const char *file; /* NULL: defaults, no file */
	const char *spool_dir;
	const char *maps_dir;
	const char *partners_dir;
	struct config_output *outputs;
	size_t noutputs;
	struct config_limits limits;
	struct config_retention retention;
	struct config_duplicates duplicates;
	struct config_run run;
	struct config_serve serve;
};

/* The configuration without a file; release with config_release(). */
void config_defaults(struct config *cfg);
/*
 * Load path over the defaults.  cfg must be released afterwards, also on
 * failure; after a failure it must not be used.
 */
enum edi_code config_load(struct config *cfg, const char *path,
			  struct edi_diag *errors);
void config_release(struct config *cfg);

/* The output called name, or NULL. */
const struct config_output *config_output(const struct config *cfg,
					  const char *name);
/* "jsonl", "csv"; "file", "rest"; "POST", "PUT". */
const char *config_format_name(enum config_format format);
const char *config_kind_name(enum config_output_kind kind);
const char *config_method_name(enum config_method method);

#endif
