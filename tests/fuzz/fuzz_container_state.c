// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the readers of runtime state files: docker config.v2.json, OCI config.json, containers.json. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new_ex(32);
	struct insp_container_info info = { .ref = { .runtime = "podman", .id = "c0ffee" } };
	json_object *obj;

	if (!tok)
		return 0;
	obj = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	if (json_object_is_type(obj, json_type_object)) {
		container_state_docker(obj, &info);
		container_state_oci(obj, &info);
	} else if (json_object_is_type(obj, json_type_array)) {
		container_state_storage_index(obj, &info);
	}
	/* Every name must stay a terminated string within its field. */
	if (strnlen(info.name, sizeof(info.name)) == sizeof(info.name) ||
	    strnlen(info.image, sizeof(info.image)) == sizeof(info.image))
		abort();
	json_object_put(obj);
	json_tokener_free(tok);
	return 0;
}
