/*
 * log - the event log; see log.h.
 */
#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "json_out.h"

#define LOG_LINE_MAX 4096

/* The one process-wide object (STYLE rule 14). */
static struct {
	FILE *out;
	enum log_format format;
	enum log_level level;
} logger = {NULL, LOG_TEXT, LOG_WARN};

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void log_setup(FILE *out, enum log_format format, enum log_level level)
{
	logger.out = out;
	logger.format = format;
	logger.level = level;
}

bool log_enabled(enum log_level level)
{
	return level <= logger.level;
}

enum log_format log_format_used(void)
{
	return logger.format;
}

/* A count: digits without a leading zero (ISA13 000000042 stays text). */
static bool number(const char *p, const char *end)
{
	if (p == end || (*p == '0' && end - p > 1) || end - p > 15)
		return false;
	for (; p < end; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* key=value pairs of text into JSON members; "..." values unquoted. */
static void pairs_json(struct json_out *j, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *key, *eq, *val, *end;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		key = p;
		eq = strchr(p, '=');
		if (!eq)
			break;
		val = eq + 1;
		if (*val == '"') {
			val++;
			end = strchr(val, '"');
			if (!end)
				end = val + strlen(val);
			p = *end ? end + 1 : end;
		} else {
			end = strchr(val, ' ');
			if (!end)
				end = val + strlen(val);
			p = end;
		}
		{
			char k[64];
			size_t kn = (size_t)(eq - key) < sizeof(k) - 1
					    ? (size_t)(eq - key)
					    : sizeof(k) - 1;
			memcpy(k, key, kn);
			k[kn] = '\0';
			json_key(j, k);
			if (number(val, end))
				json_raw(j, sv_make(val, (size_t)(end - val)));
			else
				json_strv(j, sv_make(val, (size_t)(end - val)));
		}
	}
}

void log_event(enum log_level level, const char *event, const char *entry,
	       const char *fmt, ...)
{
	char when[24], text[LOG_LINE_MAX] = "";
	FILE *out = logger.out ? logger.out : stderr;
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (!log_enabled(level))
		return;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
	}
	if (!gmtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (logger.format == LOG_JSON) {
		struct buf b;
		struct json_out j;
		buf_init(&b, 2 * LOG_LINE_MAX);
		json_out_init(&j, &b);
		json_obj_begin(&j);
		json_key(&j, "time");
		json_str(&j, when);
		json_key(&j, "level");
		json_str(&j, level_names[level]);
		json_key(&j, "event");
		json_str(&j, event);
		if (entry) {
			json_key(&j, "entry");
			json_str(&j, entry);
		}
		pairs_json(&j, text);
		json_obj_end(&j);
		if (json_out_result(&j) == EDI_OK) {
			buf_addc(&b, '\n');
			fwrite(b.ptr, 1, b.len, out);
		}
		buf_release(&b);
	} else {
		fprintf(out, "%s %s %s%s%s%s%s\n", when, level_names[level],
			event, entry ? " entry=" : "", entry ? entry : "",
			text[0] ? " " : "", text);
	}
	fflush(out);
}
