// SPDX-License-Identifier: LGPL-2.1-or-later
/* Human names of a container, from the state files its runtime keeps on the host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "inspect/container.h"
#include "util.h"

#define DOCKER_DIR "var/lib/docker/containers"
#define CONTAINERD_TASKS "run/containerd/io.containerd.runtime.v2.task"
#define STORAGE_RUN "run/containers/storage/overlay-containers"
#define STORAGE_LIB "var/lib/containers/storage/overlay-containers"

static void json_put(json_object *obj, const char *key, char *dst, size_t size)
{
	json_object *v;

	if (!dst[0] && json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
		snprintf(dst, size, "%s", json_object_get_string(v));
}

#define PUT(obj, key, field) json_put(obj, key, field, sizeof(field))

/* Kubernetes names, as CRI-O, containerd and dockershim spell them. */
static void put_kubernetes(json_object *map, struct insp_container_info *out)
{
	if (!map)
		return;
	PUT(map, "io.kubernetes.pod.name", out->pod_name);
	PUT(map, "io.kubernetes.cri.sandbox-name", out->pod_name);
	PUT(map, "io.kubernetes.pod.namespace", out->pod_namespace);
	PUT(map, "io.kubernetes.cri.sandbox-namespace", out->pod_namespace);
	PUT(map, "io.kubernetes.container.name", out->k8s_container);
	PUT(map, "io.kubernetes.cri.container-name", out->k8s_container);
	PUT(map, "io.kubernetes.cri.image-name", out->image);
	PUT(map, "io.kubernetes.cri-o.ImageName", out->image);
}

static json_object *load(const char *root, const char *path, struct insp_container_info *out)
{
	char full[sizeof(out->state_file)];
	json_object *obj;

	if (snprintf(full, sizeof(full), "%s/%s", root, path) >= (int)sizeof(full))
		return NULL;
	obj = json_object_from_file(full);
	if (obj && !out->state_file[0])
		snprintf(out->state_file, sizeof(out->state_file), "%s", full);
	return obj;
}

static bool read_docker(const char *root, struct insp_container_info *out)
{
	char path[256];
	json_object *obj, *config = NULL, *labels = NULL;

	snprintf(path, sizeof(path), DOCKER_DIR "/%s/config.v2.json", out->ref.id);
	if (!(obj = load(root, path, out)))
		return false;
	PUT(obj, "Name", out->name);
	if (out->name[0] == '/')
		memmove(out->name, out->name + 1, strlen(out->name));
	if (json_object_object_get_ex(obj, "Config", &config)) {
		PUT(config, "Image", out->image);
		json_object_object_get_ex(config, "Labels", &labels);
	}
	put_kubernetes(labels, out);
	json_object_put(obj);
	return true;
}

/* An OCI runtime spec: names live in its annotations. */
static bool read_oci_config(const char *root, const char *path, struct insp_container_info *out)
{
	json_object *obj = load(root, path, out), *annotations = NULL;

	if (!obj)
		return false;
	json_object_object_get_ex(obj, "annotations", &annotations);
	put_kubernetes(annotations, out);
	json_object_put(obj);
	return true;
}

/* containerd keeps one bundle per namespace ("k8s.io", "moby", "default"...). */
static bool read_containerd(const char *root, struct insp_container_info *out)
{
	char dir[4096], path[512];
	DIR *d;
	struct dirent *e;
	bool found = false;

	snprintf(dir, sizeof(dir), "%s/" CONTAINERD_TASKS, root);
	if (!(d = opendir(dir)))
		return false;
	while (!found && (e = readdir(d)))
		if (e->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), CONTAINERD_TASKS "/%s/%s/config.json", e->d_name,
			     out->ref.id) < (int)sizeof(path))
			found = read_oci_config(root, path, out);
	closedir(d);
	return found;
}

/* containers/storage's index: {"id", "names": [...], "metadata": "<json>"}. */
static void read_storage_index(const char *root, const char *dir, struct insp_container_info *out)
{
	char path[256];
	json_object *arr, *names, *meta, *m;

	snprintf(path, sizeof(path), "%s/containers.json", dir);
	if (!(arr = load(root, path, out)))
		return;
	for (size_t i = 0; json_object_is_type(arr, json_type_array) && i < json_object_array_length(arr); i++) {
		json_object *c = json_object_array_get_idx(arr, i), *id;

		if (!json_object_object_get_ex(c, "id", &id) ||
		    strcmp(json_object_get_string(id), out->ref.id) != 0)
			continue;
		if (json_object_object_get_ex(c, "names", &names) && json_object_array_length(names) > 0)
			snprintf(out->name, sizeof(out->name), "%s",
				 json_object_get_string(json_object_array_get_idx(names, 0)));
		if (json_object_object_get_ex(c, "metadata", &meta) &&
		    (m = json_tokener_parse(json_object_get_string(meta)))) {
			PUT(m, "image-name", out->image);
			json_object_put(m);
		}
		break;
	}
	json_object_put(arr);
}

static bool read_storage(const char *root, struct insp_container_info *out)
{
	static const char *const dirs[] = { STORAGE_RUN, STORAGE_LIB };
	char path[256];
	bool found = false;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s/userdata/config.json", dirs[i], out->ref.id);
		if (read_oci_config(root, path, out)) {
			read_storage_index(root, dirs[i], out);
			found = true;
		}
	}
	return found;
}

INSP_EXPORT int insp_container_info_read(const struct insp_container_ref *ref, const char *root,
					 struct insp_container_info *out, struct insp_error *err)
{
	const char *rt = ref->runtime;
	bool found = false;

	memset(out, 0, sizeof(*out));
	out->ref = *ref;
	/* Paths are built as root + "/var/...": the host's own root is "". */
	if (!root || strcmp(root, "/") == 0)
		root = "";
	/* lxc and nspawn name containers in the cgroup path itself. */
	if (strcmp(rt, "lxc") == 0 || strcmp(rt, "nspawn") == 0) {
		snprintf(out->name, sizeof(out->name), "%s", ref->id);
		return 0;
	}
	if (strcmp(rt, "docker") == 0)
		found = read_docker(root, out);
	else if (strcmp(rt, "containerd") == 0)
		found = read_containerd(root, out);
	else if (strcmp(rt, "cri-o") == 0 || strcmp(rt, "podman") == 0)
		found = read_storage(root, out);
	else
		found = read_containerd(root, out) || read_storage(root, out);
	if (!found)
		return insp_error_set(err, ENOENT, "%s container %.12s: no state file under %s", rt,
				      ref->id, *root ? root : "/");
	if (!out->name[0])
		snprintf(out->name, sizeof(out->name), "%s", out->k8s_container);
	return 0;
}
