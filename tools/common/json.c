// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>
#include <time.h>

#include <inspect/cgroup.h>
#include <inspect/security.h>

#include "json.h"
#include "text.h"

void json_write_text(FILE *out, const char *text, int indent)
{
	const unsigned char *s = (const unsigned char *)text, *plain = s;

	/* Bytes of 0x7f and above occur only inside strings, where \u escapes are valid. */
	for (; *s; s++) {
		uint32_t cp;
		size_t n;

		if (*s == '\n' && indent) {
			fwrite(plain, 1, (size_t)(s + 1 - plain), out);
			fprintf(out, "%*s", indent, "");
			plain = s + 1;
			continue;
		}
		if (*s < 0x7f)
			continue;
		if (*s == 0x7f) {
			cp = 0x7f;
			n = 1;
		} else if (!(n = text_utf8_decode(s, &cp)) || !text_is_format_char(cp)) {
			s += n ? n - 1 : 0;
			continue;
		}
		fwrite(plain, 1, (size_t)(s - plain), out);
		if (cp > 0xffff)
			fprintf(out, "\\u%04x\\u%04x", 0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
		else
			fprintf(out, "\\u%04x", cp);
		s += n - 1;
		plain = s + 1;
	}
	fputs((const char *)plain, out);
}

void json_put_string(FILE *out, const char *s)
{
	struct text_buf b = { 0 };
	char esc[8];

	if (!s) {
		fputs("null", out);
		return;
	}
	text_append(&b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c < 0x20)
			snprintf(esc, sizeof(esc), "\\u%04x", c);
		else
			esc[0] = (char)c, esc[1] = '\0';
		text_append(&b, esc);
	}
	text_append(&b, "\"");
	json_write_text(out, b.p, 0);
	text_buf_free(&b);
}

int json_print(FILE *out, json_object *doc, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);

	json_write_text(out, json_object_to_json_string_ext(doc, flags), 0);
	fputc('\n', out);
	json_object_put(doc);
	return ferror(out) ? -EIO : 0;
}

json_object *json_str(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *json_limit(uint64_t v)
{
	if (v == INSP_CGROUP_UNKNOWN)
		return NULL;
	if (v == INSP_CGROUP_UNLIMITED)
		return json_object_new_string("max");
	return json_object_new_uint64(v);
}

json_object *json_tri(int v)
{
	return v == INSP_UNKNOWN ? NULL : json_object_new_boolean(v);
}

json_object *json_time(uint64_t realtime_ns)
{
	time_t secs = (time_t)(realtime_ns / 1000000000);
	char stamp[32], buf[48];
	struct tm tm;

	if (!gmtime_r(&secs, &tm))
		return NULL;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, sizeof(buf), "%s.%06uZ", stamp, (unsigned)(realtime_ns % 1000000000 / 1000));
	return json_object_new_string(buf);
}

json_object *json_cpu_max(uint64_t quota_usec, uint64_t period_usec)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "quota_usec", json_limit(quota_usec));
	json_object_object_add(o, "period_usec", json_limit(period_usec));
	return o;
}

json_object *json_ns(ino_t ino, uint64_t id)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ino", ino ? json_object_new_uint64(ino) : NULL);
	json_object_object_add(o, "id", id ? json_object_new_uint64(id) : NULL);
	return o;
}

json_object *json_container(const struct insp_container_info *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "runtime", json_str(c->ref.runtime));
	json_object_object_add(o, "id", json_str(c->ref.id));
	json_object_object_add(o, "name", json_str(c->name));
	json_object_object_add(o, "image", json_str(c->image));
	json_object_object_add(o, "pod", json_str(c->pod_name));
	json_object_object_add(o, "namespace", json_str(c->pod_namespace));
	return o;
}
