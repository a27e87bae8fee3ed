// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the passwd reader that takes a container's /etc/passwd: any uid, any text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "join_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *shell = NULL, *home = NULL;
	uid_t uid;

	if (size < sizeof(uid))
		return 0;
	memcpy(&uid, data, sizeof(uid));
	text = malloc(size - sizeof(uid) + 1);
	if (!text)
		return 0;
	memcpy(text, data + sizeof(uid), size - sizeof(uid));
	text[size - sizeof(uid)] = '\0';
	passwd_parse(text, uid % 4 == 0 ? 0 : uid, &shell, &home);
	free(shell);
	free(home);
	free(text);
	return 0;
}
