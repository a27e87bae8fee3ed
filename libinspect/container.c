// SPDX-License-Identifier: LGPL-2.1-or-later
/* Container identity from cgroup paths, as the runtimes lay them out. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inspect/container.h"
#include "util.h"

#define SHORT_ID_LEN 12

/* systemd-driver scopes: <prefix><id>.scope */
static const struct {
	const char *prefix;
	const char *runtime;
} scope_prefixes[] = {
	{ "docker-", "docker" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
	{ "libpod-", "podman" },
	{ "nerdctl-", "containerd" },
};

/* cgroupfs-driver parents: /<parent>/<id> */
static const struct {
	const char *parent;
	const char *runtime;
} id_parents[] = {
	{ "docker", "docker" },
	{ "libpod_parent", "podman" },
	{ "lxc", "lxc" },
};

static bool is_hex_id(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool copy_part(char *dst, size_t size, const char *src, size_t len)
{
	if (len == 0 || len >= size)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && strncmp(s, prefix, plen) == 0;
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t slen = strlen(suffix);

	return len >= slen && strncmp(s + len - slen, suffix, slen) == 0;
}

static bool set_ref(struct insp_container_ref *out, const char *runtime, const char *id, size_t len)
{
	return copy_part(out->runtime, sizeof(out->runtime), runtime, strlen(runtime)) &&
	       copy_part(out->id, sizeof(out->id), id, len);
}

/* One path component: does it name a container by itself or under its parent? */
static bool match_component(const char *c, size_t len, const char *parent, size_t plen,
			    struct insp_container_ref *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(scope_prefixes); i++) {
		size_t pl = strlen(scope_prefixes[i].prefix);

		if (has_prefix(c, len, scope_prefixes[i].prefix) && has_suffix(c, len, ".scope") &&
		    is_hex_id(c + pl, len - pl - 6))
			return set_ref(out, scope_prefixes[i].runtime, c + pl, len - pl - 6);
	}
	if (has_prefix(c, len, "crio-") && is_hex_id(c + 5, len - 5))
		return set_ref(out, "cri-o", c + 5, len - 5);
	if (has_prefix(c, len, "lxc.payload.") && len > 12)
		return set_ref(out, "lxc", c + 12, len - 12);
	if (has_prefix(c, len, "systemd-nspawn@") && has_suffix(c, len, ".service") && len > 23)
		return set_ref(out, "nspawn", c + 15, len - 23);
	if (has_prefix(c, len, "machine-") && has_suffix(c, len, ".scope") && len > 14)
		return set_ref(out, "nspawn", c + 8, len - 14);
	for (size_t i = 0; parent && i < ARRAY_SIZE(id_parents); i++) {
		if (plen != strlen(id_parents[i].parent) || strncmp(parent, id_parents[i].parent, plen))
			continue;
		if (strcmp(id_parents[i].runtime, "lxc") == 0 || is_hex_id(c, len) ||
		    (has_prefix(c, len, "libpod-") && is_hex_id(c + 7, len - 7))) {
			size_t skip = has_prefix(c, len, "libpod-") ? 7 : 0;

			return set_ref(out, id_parents[i].runtime, c + skip, len - skip);
		}
	}
	/* A bare id under a kubepods pod: some CRI runtime on the cgroupfs driver. */
	if (parent && has_prefix(parent, plen, "pod") && is_hex_id(c, len))
		return set_ref(out, "cri", c, len);
	return false;
}

static void set_pod_uid(struct insp_container_ref *out, const char *uid, size_t len)
{
	if (!copy_part(out->pod_uid, sizeof(out->pod_uid), uid, len))
		return;
	/* The systemd driver escapes the uid's dashes as underscores. */
	for (char *u = out->pod_uid; *u; u++)
		if (*u == '_')
			*u = '-';
}

/*
 * Kubernetes pod and QoS class along the path: cgroupfs driver
 * "/kubepods/burstable/pod<uid>/", systemd driver
 * "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/".
 */
static void match_kube(const char *c, size_t len, bool *in_kube, struct insp_container_ref *out)
{
	static const char *const classes[] = { "burstable", "besteffort" };
	const char *pod;

	if (has_suffix(c, len, ".slice"))
		len -= 6;
	if (has_prefix(c, len, "kubepods")) {
		*in_kube = true;
		if (!out->qos[0])
			snprintf(out->qos, sizeof(out->qos), "guaranteed");
	}
	if (!*in_kube)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
		if (memmem(c, len, classes[i], strlen(classes[i])))
			snprintf(out->qos, sizeof(out->qos), "%s", classes[i]);
	pod = has_prefix(c, len, "pod") ? c : memmem(c, len, "-pod", 4);
	if (pod == c)
		set_pod_uid(out, c + 3, len - 3);
	else if (pod)
		set_pod_uid(out, pod + 4, len - (size_t)(pod + 4 - c));
}

INSP_EXPORT int insp_container_from_cgroup_path(const char *path, struct insp_container_ref *out)
{
	const char *parent = NULL, *c = path;
	size_t plen = 0;
	bool found = false, in_kube = false;

	memset(out, 0, sizeof(*out));
	while (*c) {
		size_t len;
		struct insp_container_ref ref = *out;

		while (*c == '/')
			c++;
		len = strcspn(c, "/");
		if (!len)
			break;
		match_kube(c, len, &in_kube, out);
		/* The deepest match wins: a container nested in another's cgroup. */
		if (match_component(c, len, parent, plen, &ref)) {
			memcpy(out->runtime, ref.runtime, sizeof(out->runtime));
			memcpy(out->id, ref.id, sizeof(out->id));
			found = true;
		}
		parent = c;
		plen = len;
		c += len;
	}
	if (!found) {
		memset(out, 0, sizeof(*out));
		return -ENOENT;
	}
	if (!out->pod_uid[0])
		out->qos[0] = '\0';
	return 0;
}

/* Split "ID:CONTROLLERS:PATH" of one line; false if malformed. */
static bool split_cgroup_line(const char *line, size_t len, bool *unified, char *path, size_t size)
{
	const char *c1 = memchr(line, ':', len), *c2;

	if (!c1 || !(c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line))))
		return false;
	*unified = c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
	return copy_part(path, size, c2 + 1, len - (size_t)(c2 + 1 - line));
}

INSP_EXPORT int insp_container_from_cgroup_file(const char *text, struct insp_container_ref *out)
{
	char path[4096];

	/* The unified ("0::") line first; hybrid hosts name containers only in v1 lines. */
	for (int pass = 0; pass < 2; pass++) {
		for (const char *line = text; line && *line;) {
			const char *eol = strchr(line, '\n');
			size_t len = eol ? (size_t)(eol - line) : strlen(line);
			bool unified;

			if (split_cgroup_line(line, len, &unified, path, sizeof(path)) &&
			    unified == (pass == 0) && insp_container_from_cgroup_path(path, out) == 0)
				return 0;
			line = eol ? eol + 1 : NULL;
		}
	}
	memset(out, 0, sizeof(*out));
	return -ENOENT;
}

INSP_EXPORT int insp_container_short(const struct insp_container_ref *ref, char *buf, size_t size)
{
	size_t idlen = strlen(ref->id);
	int n;

	if (is_hex_id(ref->id, idlen))
		idlen = SHORT_ID_LEN;
	n = snprintf(buf, size, "%s:%.*s", ref->runtime, (int)idlen, ref->id);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
