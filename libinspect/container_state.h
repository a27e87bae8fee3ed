/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What runtime state files say, once parsed: pure functions, fuzzed apart from the reading. */
#ifndef INSPECT_CONTAINER_STATE_H
#define INSPECT_CONTAINER_STATE_H

#include <json-c/json.h>

#include "inspect/container.h"

/* docker's config.v2.json: Name, Config.Image, Config.Labels. */
void container_state_docker(json_object *obj, struct insp_container_info *out);
/* An OCI runtime spec (containerd, cri-o, podman): kubernetes names in its annotations. */
void container_state_oci(json_object *obj, struct insp_container_info *out);
/* containers/storage's containers.json: the entry of out->ref.id, its name and image. */
void container_state_storage_index(json_object *arr, struct insp_container_info *out);

/* A running container as its runtime's state files tell it, with the pid of its first process. */
struct state_container {
	struct insp_container_info info;
	pid_t pid;
};

struct state_containers {
	struct state_container *v;
	size_t n;
};

/*
 * Every running container that docker's and containers/storage's state
 * below root name (a pid is only a hint: the caller checks the process is
 * in the container's cgroup). Caller frees out->v.
 */
int container_state_running(const char *root, struct state_containers *out);

#endif
