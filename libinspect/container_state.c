// SPDX-License-Identifier: LGPL-2.1-or-later
/* Human names of a container, from the state files its runtime keeps on the host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "container_state.h"
#include "file_in_root.h"
#include "inspect/container.h"
#include "util.h"

#define DOCKER_DIR "/var/lib/docker/containers"
#define CONTAINERD_TASKS "/run/containerd/io.containerd.runtime.v2.task"
#define STORAGE_RUN "/run/containers/storage/overlay-containers"
#define STORAGE_LIB "/var/lib/containers/storage/overlay-containers"

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
	if (!json_object_is_type(map, json_type_object))
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

/* Where the state files are looked for, and the first problem met, for the caller's message. */
struct state_dir {
	int root_fd;
	const char *root;	/* as given, for messages */
	struct insp_container_info *out;
};

/* Messages name files below root: the root's name is put in front. */
static void note_problem(struct state_dir *d, const char *msg)
{
	if (!d->out->state_error[0])
		snprintf(d->out->state_error, sizeof(d->out->state_error), "%s%s", d->root, msg);
}

/* A state file as a JSON value of type want; NULL when missing, unreadable or not that (noted). */
static json_object *load(struct state_dir *d, const char *path, size_t max, json_type want)
{
	struct insp_error e = { 0 };
	_cleanup_free_ char *text = NULL;
	enum json_tokener_error jerr = json_tokener_success;
	json_object *obj;
	size_t len;

	if (file_in_root_read(d->root_fd, path, max, &text, &len, &e) < 0) {
		if (e.code != ENOENT)
			note_problem(d, e.msg);
		return NULL;
	}
	obj = json_tokener_parse_verbose(text, &jerr);
	if (!obj || !json_object_is_type(obj, want)) {
		if (obj)
			snprintf(e.msg, sizeof(e.msg), "%s: JSON, but not an %s", path,
				 want == json_type_object ? "object" : "array");
		else
			snprintf(e.msg, sizeof(e.msg), "%s: not JSON (%s)", path, json_tokener_error_desc(jerr));
		note_problem(d, e.msg);
		json_object_put(obj);
		return NULL;
	}
	if (!d->out->state_file[0])
		snprintf(d->out->state_file, sizeof(d->out->state_file), "%s%s", d->root, path);
	return obj;
}

void container_state_docker(json_object *obj, struct insp_container_info *out)
{
	json_object *config = NULL, *labels = NULL;

	PUT(obj, "Name", out->name);
	if (out->name[0] == '/')
		memmove(out->name, out->name + 1, strlen(out->name));
	if (json_object_object_get_ex(obj, "Config", &config) && json_object_is_type(config, json_type_object)) {
		PUT(config, "Image", out->image);
		json_object_object_get_ex(config, "Labels", &labels);
	}
	put_kubernetes(labels, out);
}

void container_state_oci(json_object *obj, struct insp_container_info *out)
{
	json_object *annotations = NULL;

	json_object_object_get_ex(obj, "annotations", &annotations);
	put_kubernetes(annotations, out);
}

static bool read_docker(struct state_dir *d)
{
	char path[256];
	json_object *obj;

	snprintf(path, sizeof(path), DOCKER_DIR "/%s/config.v2.json", d->out->ref.id);
	if (!(obj = load(d, path, FILE_CAP_STATE, json_type_object)))
		return false;
	container_state_docker(obj, d->out);
	json_object_put(obj);
	return true;
}

/* An OCI runtime spec: names live in its annotations. */
static bool read_oci_config(struct state_dir *d, const char *path)
{
	json_object *obj = load(d, path, FILE_CAP_STATE, json_type_object);

	if (!obj)
		return false;
	container_state_oci(obj, d->out);
	json_object_put(obj);
	return true;
}

/* containerd keeps one bundle per namespace ("k8s.io", "moby", "default"...). */
static bool read_containerd(struct state_dir *d)
{
	int fd = file_in_root_opendir(d->root_fd, CONTAINERD_TASKS, NULL);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	char path[512];
	bool found = false;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (!found && (e = readdir(dir)))
		if (e->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), CONTAINERD_TASKS "/%s/%s/config.json", e->d_name,
			     d->out->ref.id) < (int)sizeof(path))
			found = read_oci_config(d, path);
	closedir(dir);
	return found;
}

static const char *string_of(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

void container_state_storage_index(json_object *arr, struct insp_container_info *out)
{
	json_object *names, *m;

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *c = json_object_array_get_idx(arr, i);
		const char *id = string_of(c, "id"), *meta = string_of(c, "metadata");

		if (!id || strcmp(id, out->ref.id) != 0)
			continue;
		if (json_object_object_get_ex(c, "names", &names) && json_object_is_type(names, json_type_array) &&
		    json_object_array_length(names) > 0 &&
		    json_object_is_type(json_object_array_get_idx(names, 0), json_type_string))
			snprintf(out->name, sizeof(out->name), "%s",
				 json_object_get_string(json_object_array_get_idx(names, 0)));
		if (meta && (m = json_tokener_parse(meta))) {
			PUT(m, "image-name", out->image);
			json_object_put(m);
		}
		break;
	}
}

/* containers/storage's index: [{"id", "names": [...], "metadata": "<json>"}]. */
static void read_storage_index(struct state_dir *d, const char *dir)
{
	char path[256];
	json_object *arr;

	snprintf(path, sizeof(path), "%s/containers.json", dir);
	if (!(arr = load(d, path, FILE_CAP_STATE_INDEX, json_type_array)))
		return;
	container_state_storage_index(arr, d->out);
	json_object_put(arr);
}

static bool read_storage(struct state_dir *d)
{
	static const char *const dirs[] = { STORAGE_RUN, STORAGE_LIB };
	char path[256];
	bool found = false;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s/userdata/config.json", dirs[i], d->out->ref.id);
		if (read_oci_config(d, path)) {
			read_storage_index(d, dirs[i]);
			found = true;
		}
	}
	return found;
}

static bool read_runtime_state(struct state_dir *d)
{
	const char *rt = d->out->ref.runtime;

	if (strcmp(rt, "docker") == 0)
		return read_docker(d);
	if (strcmp(rt, "containerd") == 0)
		return read_containerd(d);
	if (strcmp(rt, "cri-o") == 0 || strcmp(rt, "podman") == 0)
		return read_storage(d);
	return read_containerd(d) || read_storage(d);
}

INSP_EXPORT int insp_container_info_read(const struct insp_container_ref *ref, const char *root,
					 struct insp_container_info *out, struct insp_error *err)
{
	char shown[4096];
	struct state_dir d = { .out = out, .root = shown };
	bool found;

	memset(out, 0, sizeof(*out));
	out->ref = *ref;
	/* lxc and nspawn name containers in the cgroup path itself. */
	if (strcmp(ref->runtime, "lxc") == 0 || strcmp(ref->runtime, "nspawn") == 0) {
		snprintf(out->name, sizeof(out->name), "%s", ref->id);
		return 0;
	}
	/* Messages and state_file name root + "/var/...": the host's own root is "". */
	snprintf(shown, sizeof(shown), "%s", root && strcmp(root, "/") ? root : "");
	while (*shown && shown[strlen(shown) - 1] == '/')
		shown[strlen(shown) - 1] = '\0';
	d.root_fd = file_root_open(root, err);
	if (d.root_fd < 0)
		return d.root_fd;
	found = read_runtime_state(&d);
	close(d.root_fd);
	if (!found && out->state_error[0])
		return insp_error_set_msg(err, EINVAL, "%s", out->state_error);
	if (!found)
		return insp_error_set(err, ENOENT, "%s container %.12s: no state file under %s", ref->runtime,
				      ref->id, *shown ? shown : "/");
	if (!out->name[0])
		snprintf(out->name, sizeof(out->name), "%s", out->k8s_container);
	return 0;
}

/* ---- every running container the state files name, with its pid */

static int add_running(struct state_containers *list, const struct insp_container_info *info, pid_t pid)
{
	struct state_container *grown;

	if (pid <= 0)
		return 0;
	if (!(grown = util_xreallocarray(list->v, list->n + 1, sizeof(*list->v))))
		return -ENOMEM;
	list->v = grown;
	list->v[list->n].info = *info;
	list->v[list->n++].pid = pid;
	return 0;
}

/* A directory of containers named by their ids: fn for each id. */
static int each_id(struct state_dir *d, const char *dir, int (*fn)(struct state_dir *, const char *, void *),
		   void *data)
{
	int fd = file_in_root_opendir(d->root_fd, dir, NULL), r = 0;
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!dp) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (r == 0 && (e = readdir(dp)))
		if (strlen(e->d_name) == 64 && strspn(e->d_name, "0123456789abcdef") == 64)
			r = fn(d, e->d_name, data);
	closedir(dp);
	return r;
}

/* docker: config.v2.json says whether it runs, and its pid. */
static int docker_running(struct state_dir *d, const char *id, void *data)
{
	struct insp_container_info info = { .ref = { .runtime = "docker" } };
	json_object *obj, *state, *v;
	pid_t pid = 0;
	char path[256];
	int r;

	snprintf(info.ref.id, sizeof(info.ref.id), "%s", id);
	snprintf(path, sizeof(path), DOCKER_DIR "/%s/config.v2.json", id);
	d->out = &info;
	if (!(obj = load(d, path, FILE_CAP_STATE, json_type_object)))
		return 0;
	container_state_docker(obj, &info);
	if (json_object_object_get_ex(obj, "State", &state) && json_object_object_get_ex(state, "Running", &v) &&
	    json_object_get_boolean(v) && json_object_object_get_ex(state, "Pid", &v))
		pid = (pid_t)json_object_get_int(v);
	json_object_put(obj);
	r = add_running(data, &info, pid);
	return r;
}

/* containers/storage (podman, cri-o): names in containers.json, the pid in the run directory's pidfile. */
static int storage_running(struct state_dir *d, const char *id, void *data)
{
	struct insp_container_info info = { .ref = { .runtime = "podman" } };
	_cleanup_free_ char *text = NULL;
	char path[256];
	uint64_t pid;

	snprintf(info.ref.id, sizeof(info.ref.id), "%s", id);
	snprintf(path, sizeof(path), STORAGE_RUN "/%s/userdata/pidfile", id);
	if (file_in_root_read(d->root_fd, path, 64, &text, NULL, NULL) < 0)
		return 0;
	text[strcspn(text, "\n")] = '\0';
	if (util_parse_u64(text, &pid) < 0 || !pid || pid > INT32_MAX)
		return 0;
	d->out = &info;
	read_storage(d);
	if (!info.name[0])
		snprintf(info.name, sizeof(info.name), "%s", info.k8s_container);
	/* cri-o keeps the same layout: its containers are kubernetes', named in annotations. */
	if (info.pod_name[0])
		snprintf(info.ref.runtime, sizeof(info.ref.runtime), "cri-o");
	return add_running(data, &info, (pid_t)pid);
}

int container_state_running(const char *root, struct state_containers *out)
{
	char shown[4096];
	struct state_dir d = { .root = shown };
	int r;

	*out = (struct state_containers){ 0 };
	snprintf(shown, sizeof(shown), "%s", root && strcmp(root, "/") ? root : "");
	if ((d.root_fd = file_root_open(root, NULL)) < 0)
		return d.root_fd;
	r = each_id(&d, DOCKER_DIR, docker_running, out);
	if (r == 0)
		r = each_id(&d, STORAGE_RUN, storage_running, out);
	close(d.root_fd);
	if (r < 0) {
		free(out->v);
		*out = (struct state_containers){ 0 };
	}
	return r;
}
