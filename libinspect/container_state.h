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

#endif
