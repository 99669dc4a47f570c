/*
 * cli - helpers shared by the commands; see cli.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "report.h"

#ifndef EDIGATE_DATADIR
#define EDIGATE_DATADIR "/usr/local/share/edigate"
#endif

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("edigate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool cli_is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

bool cli_parse_count(const char *name, const char *text, size_t *out)
{
	char *end;
	unsigned long long n;

	if (!text || !*text || *text == '-')
		goto bad;
	n = strtoull(text, &end, 10);
	if (*end || n == 0 || n > (unsigned long long)SIZE_MAX / 2)
		goto bad;
	*out = (size_t)n;
	return true;
bad:
	cli_error("%s needs a positive number, not '%s'", name,
		  text ? text : "");
	return false;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_default_dir(const char *name, bool installed_too)
{
	static const char *const installed[] = {EDIGATE_DATADIR "/maps",
						EDIGATE_DATADIR "/partners"};

	if (is_dir(name))
		return name;
	if (!installed_too)
		return NULL;
	for (size_t i = 0; i < 2; i++)
		if (strstr(installed[i], name) && is_dir(installed[i]))
			return installed[i];
	return NULL;
}

int cli_load_registry(struct registry *reg, const char *maps_dir,
		      const char *partners_dir, struct edi_diag *errors)
{
	struct buf out;
	enum edi_code rc;

	if (!maps_dir)
		maps_dir = cli_default_dir("maps", true);
	if (!partners_dir)
		partners_dir = cli_default_dir("partners", false);
	edi_diag_init(errors, 1000);
	rc = registry_load(reg, maps_dir, partners_dir, errors);
	if (rc == EDI_OK) {
		edi_diag_release(errors);
		return EXIT_OK_;
	}
	buf_init(&out, SIZE_MAX / 2);
	for (size_t i = 0; i < errors->n; i++)
		buf_addf(&out, "edigate: %s\n", errors->items[i].msg);
	if (edi_diag_dropped(errors))
		buf_addf(&out, "edigate: %zu more mistakes not shown\n",
			 edi_diag_dropped(errors));
	fwrite(out.ptr, 1, out.len, stderr);
	buf_release(&out);
	edi_diag_release(errors);
	registry_release(reg);
	return rc == EDI_ENOENT ? EXIT_NOINPUT : EXIT_CONFIG;
}

int cli_env_open(struct cli_env *env, const struct cli_global *g,
		 bool with_registry)
{
	struct edi_diag errors;
	struct edi_error err;
	const char *path = g->config_path;
	char jpath[FILEIO_PATH_MAX];
	struct stat st;
	int rc;

	memset(env, 0, sizeof(*env));
	if (!path && stat("edigate.yaml", &st) == 0)
		path = "edigate.yaml";
	edi_diag_init(&errors, 100);
	if (path) {
		if (config_load(&env->cfg, path, &errors) != EDI_OK) {
			for (size_t i = 0; i < errors.n; i++)
				cli_error("%s", errors.items[i].msg);
			edi_diag_release(&errors);
			config_release(&env->cfg);
			return EXIT_CONFIG;
		}
	} else {
		config_defaults(&env->cfg);
	}
	edi_diag_release(&errors);
	if (g->spool_dir)
		env->cfg.spool_dir = g->spool_dir;
	if (!env->cfg.noutputs) {
		/* no outputs configured: records go to out/erp as JSON Lines */
		env->default_output.name = "erp";
		env->default_output.kind = CONFIG_OUTPUT_FILE;
		env->default_output.format = CONFIG_FORMAT_JSONL;
		env->cfg.outputs = &env->default_output;
		env->cfg.noutputs = 1;
	}
	if (with_registry) {
		rc = cli_load_registry(&env->reg, env->cfg.maps_dir,
				       env->cfg.partners_dir, &errors);
		if (rc != EXIT_OK_) {
			config_release(&env->cfg);
			return rc;
		}
		env->have_reg = true;
	}
	if (spool_open(&env->spool, env->cfg.spool_dir, &err) != EDI_OK) {
		cli_error("%s", err.msg);
		cli_env_close(env);
		return EXIT_TEMPFAIL;
	}
	env->have_spool = true;
	if (spool_path(&env->spool, JOURNAL_FILE, jpath, sizeof(jpath), &err) !=
		    EDI_OK ||
	    journal_open(&env->journal, jpath, &err) != EDI_OK) {
		cli_error("%s", err.msg);
		cli_env_close(env);
		return err.code == EDI_ETEMP ? EXIT_TEMPFAIL : EXIT_SOFTWARE;
	}
	return EXIT_OK_;
}

void cli_env_close(struct cli_env *env)
{
	if (env->journal)
		journal_close(env->journal);
	if (env->have_spool)
		spool_close(&env->spool);
	if (env->have_reg)
		registry_release(&env->reg);
	if (env->cfg.outputs == &env->default_output)
		env->cfg.outputs = NULL;
	config_release(&env->cfg);
	memset(env, 0, sizeof(*env));
}
