// SPDX-License-Identifier: LGPL-2.1-or-later
/* Capability masks as people read them: names from libcap, named profiles. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "inspect/caps.h"
#include "util.h"

#define CAP_NAME_MAX 32

static const char *const set_names[] = {
	[INSP_CAP_INHERITABLE] = "inheritable",
	[INSP_CAP_PERMITTED] = "permitted",
	[INSP_CAP_EFFECTIVE] = "effective",
	[INSP_CAP_BOUNDING] = "bounding",
	[INSP_CAP_AMBIENT] = "ambient",
};

static const char *const profile_names[] = {
	[INSP_CAPS_NONE] = "none",
	[INSP_CAPS_DOCKER_DEFAULT] = "docker default",
	[INSP_CAPS_FULL] = "full",
};

#define BIT(c) (1ULL << (c))

/* moby's defaultCapabilities(): what `docker run` leaves a root process. */
static const uint64_t docker_default =
	BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) | BIT(CAP_FOWNER) |
	BIT(CAP_MKNOD) | BIT(CAP_NET_RAW) | BIT(CAP_SETGID) | BIT(CAP_SETUID) |
	BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE) |
	BIT(CAP_SYS_CHROOT) | BIT(CAP_KILL) | BIT(CAP_AUDIT_WRITE);

INSP_EXPORT const char *insp_cap_set_name(enum insp_cap_set set)
{
	return (unsigned)set < ARRAY_SIZE(set_names) ? set_names[set] : "?";
}

INSP_EXPORT unsigned insp_cap_last(void)
{
	static unsigned last;
	char buf[16];
	uint64_t v;

	if (last)
		return last;
	if (util_read_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", buf, sizeof(buf)) > 0 &&
	    (buf[strcspn(buf, "\n")] = '\0', util_parse_u64(buf, &v) == 0) && v > 0 && v < 64)
		last = (unsigned)v;
	else
		last = (unsigned)cap_max_bits() - 1;
	return last;
}

INSP_EXPORT int insp_cap_name(unsigned cap, char *buf, size_t size)
{
	char *name;
	int n;

	if (cap > 63)
		return -ERANGE;
	name = cap_to_name((cap_value_t)cap);
	/* libcap spells capabilities it does not know as bare numbers. */
	if (name && !isdigit((unsigned char)name[0]))
		n = snprintf(buf, size, "%s", name);
	else
		n = snprintf(buf, size, "cap_%u", cap);
	cap_free(name);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int parse_hex(const char *s, uint64_t *mask)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return util_take_hex64(&s, mask) == 0 && !*s ? 0 : -EINVAL;
}

static int parse_one_name(const char *word, size_t len, unsigned *cap)
{
	char name[CAP_NAME_MAX + 4] = "cap_";
	size_t off = strncasecmp(word, "cap_", 4) == 0 ? 0 : 4;
	cap_value_t v;
	uint64_t num;

	if (len == 0 || len + off >= sizeof(name))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		name[off + i] = (char)tolower((unsigned char)word[i]);
	name[off + len] = '\0';
	if (util_parse_u64(name + 4, &num) == 0) {
		if (num > 63)
			return -EINVAL;
		*cap = (unsigned)num;
		return 0;
	}
	if (cap_from_name(name, &v) < 0 || v < 0 || v > 63)
		return -EINVAL;
	*cap = (unsigned)v;
	return 0;
}

INSP_EXPORT int insp_caps_parse(const char *text, uint64_t *mask)
{
	uint64_t m = 0;

	if (parse_hex(text, mask) == 0)
		return 0;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, ", ");
		unsigned cap;

		if (len && parse_one_name(p, len, &cap) < 0)
			return -EINVAL;
		if (len)
			m |= BIT(cap);
		p += len;
		p += strspn(p, ", ");
	}
	if (!*text)
		return -EINVAL;
	*mask = m;
	return 0;
}

/* Names of the bits of mask, joined by sep, optionally "SYS_ADMIN" style. */
static char *join_names(uint64_t mask, const char *sep, bool short_upper)
{
	size_t size = 64 * (CAP_NAME_MAX + 4) + 1, len = 0;
	char *out = malloc(size);

	if (!out)
		return NULL;
	out[0] = '\0';
	for (unsigned c = 0; c < 64; c++) {
		char name[CAP_NAME_MAX];
		const char *shown = name;

		if (!(mask & BIT(c)) || insp_cap_name(c, name, sizeof(name)) < 0)
			continue;
		if (short_upper) {
			shown = name + 4;
			for (char *u = name + 4; *u; u++)
				*u = (char)toupper((unsigned char)*u);
		}
		len += (size_t)snprintf(out + len, size - len, "%s%s", len ? sep : "", shown);
	}
	return out;
}

INSP_EXPORT char *insp_caps_names(uint64_t mask)
{
	return join_names(mask, ",", false);
}

INSP_EXPORT const char *insp_caps_profile_name(enum insp_caps_profile profile)
{
	return (unsigned)profile < ARRAY_SIZE(profile_names) ? profile_names[profile] : "?";
}

INSP_EXPORT uint64_t insp_caps_profile_mask(enum insp_caps_profile profile)
{
	unsigned last = insp_cap_last();

	switch (profile) {
	case INSP_CAPS_DOCKER_DEFAULT:
		return docker_default;
	case INSP_CAPS_FULL:
		return last >= 63 ? ~0ULL : BIT(last + 1) - 1;
	default:
		return 0;
	}
}

INSP_EXPORT struct insp_caps_diff insp_caps_compare(uint64_t mask)
{
	struct insp_caps_diff best = { .profile = INSP_CAPS_NONE, .added = mask };
	int best_distance = __builtin_popcountll(mask);

	for (int p = INSP_CAPS_DOCKER_DEFAULT; p < INSP_CAPS_NPROFILES; p++) {
		uint64_t pm = insp_caps_profile_mask((enum insp_caps_profile)p);
		int distance = __builtin_popcountll(mask ^ pm);

		if (distance < best_distance) {
			best_distance = distance;
			best = (struct insp_caps_diff){ .profile = (enum insp_caps_profile)p,
							.added = mask & ~pm,
							.removed = pm & ~mask };
		}
	}
	return best;
}

INSP_EXPORT char *insp_caps_describe(uint64_t mask)
{
	struct insp_caps_diff d = insp_caps_compare(mask);
	_cleanup_free_ char *added = join_names(d.added, " + ", true);
	_cleanup_free_ char *removed = join_names(d.removed, " - ", true);
	char *out;

	if (!added || !removed)
		return NULL;
	/* "SYS_ADMIN" reads better than "none + SYS_ADMIN". */
	if (d.profile == INSP_CAPS_NONE && d.added)
		return strdup(added);
	if (asprintf(&out, "%s%s%s%s%s", insp_caps_profile_name(d.profile), *added ? " + " : "",
		     added, *removed ? " - " : "", removed) < 0)
		return NULL;
	return out;
}
