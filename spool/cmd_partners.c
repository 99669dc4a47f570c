/*
 * cmd_partners - `edigate partners [--check] [--json]`: the partner
 * profiles and maps, and a lint of all of them.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "json_out.h"
#include "registry.h"

static const char partners_usage[] =
	"usage: edigate partners [--check] [--json] [--maps DIR] "
	"[--partners DIR]\n"
	"\n"
	"List the partner profiles and the maps.  Every map and profile is\n"
	"loaded and checked; a mistake is printed with its file, line and\n"
	"column and the exit status is 78.  --check prints only the mistakes\n"
	"and a summary.\n"
	"\n"
	"       edigate partners keyscan HOST[:PORT]\n"
	"\n"
	"Print an SSH server's host keys as known_hosts lines with their\n"
	"SHA256 fingerprints, for onboarding an SFTP partner (docs/sftp.md).\n";

static void list_text(const struct registry *reg, struct buf *out)
{
	buf_addf(out, "maps (%s): %zu\n", reg->maps_dir ? reg->maps_dir : "-",
		 reg->maps.n);
	for (size_t i = 0; i < reg->maps.n; i++) {
		const struct map *m = reg->maps.maps[i];
		buf_addf(out, "  %-24s %-8s %-16s versions", m->id,
			 m->document ? m->document : "-",
			 m->doc_type ? m->doc_type : "-");
		for (size_t v = 0; v < m->nversions; v++)
			buf_addf(out, " %s", m->versions[v]);
		buf_addf(out, "  (%s)\n", m->file ? m->file : "-");
	}
	buf_addf(out, "partners (%s): %zu\n",
		 reg->partners_dir ? reg->partners_dir : "-", reg->npartners);
	for (size_t i = 0; i < reg->npartners; i++) {
		const struct partner *p = &reg->partners[i];
		buf_addf(out, "  %-16s %s%s\n", p->id, p->name,
			 p->enabled ? "" : " (disabled)");
		buf_adds(out, "      them:");
		for (size_t k = 0; k < p->nthem; k++)
			buf_addf(out, " %s:%s", p->them[k].qual, p->them[k].id);
		buf_adds(out, "  us:");
		for (size_t k = 0; k < p->nus; k++)
			buf_addf(out, " %s:%s", p->us[k].qual, p->us[k].id);
		if (!p->nus)
			buf_adds(out, " any");
		buf_addc(out, '\n');
		if (p->nmaps) {
			buf_adds(out, "      maps:");
			for (size_t k = 0; k < p->nmaps; k++)
				buf_addf(out, " %s%s%s=%s", p->maps[k].document,
					 p->maps[k].version ? "/" : "",
					 p->maps[k].version ? p->maps[k].version
							    : "",
					 p->maps[k].map_id);
			buf_addc(out, '\n');
		}
	}
}

static void list_json(const struct registry *reg, struct buf *out)
{
	struct json_out j;

	json_out_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "maps");
	json_arr_begin(&j);
	for (size_t i = 0; i < reg->maps.n; i++) {
		const struct map *m = reg->maps.maps[i];
		json_obj_begin(&j);
		json_key(&j, "id");
		json_str(&j, m->id);
		json_key(&j, "document");
		json_str(&j, m->document ? m->document : "");
		json_key(&j, "doc_type");
		json_str(&j, m->doc_type ? m->doc_type : "");
		json_key(&j, "versions");
		json_arr_begin(&j);
		for (size_t v = 0; v < m->nversions; v++)
			json_str(&j, m->versions[v]);
		json_arr_end(&j);
		json_key(&j, "file");
		json_str(&j, m->file ? m->file : "");
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "partners");
	json_arr_begin(&j);
	for (size_t i = 0; i < reg->npartners; i++) {
		const struct partner *p = &reg->partners[i];
		json_obj_begin(&j);
		json_key(&j, "id");
		json_str(&j, p->id);
		json_key(&j, "name");
		json_str(&j, p->name);
		json_key(&j, "enabled");
		json_bool(&j, p->enabled);
		json_key(&j, "them");
		json_arr_begin(&j);
		for (size_t k = 0; k < p->nthem; k++) {
			char id[24];
			snprintf(id, sizeof(id), "%s:%s", p->them[k].qual,
				 p->them[k].id);
			json_str(&j, id);
		}
		json_arr_end(&j);
		json_key(&j, "file");
		json_str(&j, p->file);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	buf_addc(out, '\n');
}

int cmd_partners(int argc, char **argv, const struct cli_global *g)
{
	const char *maps_dir = NULL, *partners_dir = NULL;
	bool check = false, json = false;
	struct registry reg;
	struct edi_diag errors;
	struct buf out;
	int rc;

	(void)g;
	if (argc > 1 && !strcmp(argv[1], "keyscan"))
		return cmd_keyscan(argc - 1, argv + 1);
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(partners_usage, stdout);
			return EXIT_OK_;
		} else if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if ((!strcmp(argv[i], "--maps") ||
			    !strcmp(argv[i], "--partners")) &&
			   i + 1 < argc) {
			if (argv[i][2] == 'm')
				maps_dir = argv[i + 1];
			else
				partners_dir = argv[i + 1];
			i++;
		} else {
			cli_error("partners: unknown argument '%s'", argv[i]);
			fputs(partners_usage, stderr);
			return EXIT_USAGE;
		}
	}
	rc = cli_load_registry(&reg, maps_dir, partners_dir, &errors);
	if (rc != EXIT_OK_)
		return rc;
	buf_init(&out, SIZE_MAX / 2);
	if (check)
		buf_addf(&out,
			 "partners: %zu maps and %zu partner profiles "
			 "checked: no mistakes\n",
			 reg.maps.n, reg.npartners);
	else if (json)
		list_json(&reg, &out);
	else
		list_text(&reg, &out);
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	registry_release(&reg);
	return EXIT_OK_;
}
