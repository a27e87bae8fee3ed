// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/mounts.h"
#include "mountinfo.h"
#include "ns_internal.h"
#include "../lib/tap.h"

TEST(line_with_optional_fields)
{
	char line[] = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue\n";
	struct mountinfo_entry e;

	CHECK_INT(mountinfo_parse_line(line, &e), 0);
	CHECK_INT(e.id, 36);
	CHECK_INT(e.parent, 35);
	CHECK_INT(e.major, 98);
	CHECK_INT(e.minor, 0);
	CHECK_STR(e.root, "/mnt1");
	CHECK_STR(e.target, "/mnt2");
	CHECK_STR(e.options, "rw,noatime");
	CHECK_STR(e.fstype, "ext3");
	CHECK_STR(e.source, "/dev/root");
	CHECK_STR(e.super_options, "rw,errors=continue");
}

TEST(nsfs_line_and_escapes)
{
	char line[] = "612 30 0:4 net:[4026532712] /run/netns/with\\040space rw shared:5 - nsfs nsfs rw";
	struct mountinfo_entry e;
	enum insp_ns_type type;
	ino_t ino;

	CHECK_INT(mountinfo_parse_line(line, &e), 0);
	CHECK_STR(e.fstype, "nsfs");
	CHECK_STR(e.target, "/run/netns/with space");
	CHECK_INT(ns_parse_link(e.root, &type, &ino), 0);
	CHECK_INT(type, INSP_NS_NET);
	CHECK_INT(ino, 4026532712);
}

TEST(malformed_lines)
{
	const char *bad[] = {
		"", "36 35 98:0 /a /b rw", "x 35 98:0 /a /b rw - ext4 /dev rw",
		"36 35 98 /a /b rw - ext4 /dev rw", "36 35 98:0 /a /b rw shared:1 ext4 /dev rw",
		"36 35 98:0 /a /b rw -", "99999999999 1 1:1 / / rw - x y z",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *copy = strdup(bad[i]);
		struct mountinfo_entry e;

		if (mountinfo_parse_line(copy, &e) != -EINVAL)
			printf("#   accepted: \"%s\"\n", bad[i]), tap_current_failed = true;
		free(copy);
	}
}

static int count_nsfs(const struct mountinfo_entry *e, void *data)
{
	if (strcmp(e->fstype, "nsfs") == 0)
		(*(int *)data)++;
	return 0;
}

TEST(foreach_buffer)
{
	char buf[] = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
		     "garbage line\n"
		     "2 1 0:4 net:[1] /run/netns/a rw - nsfs nsfs rw\n"
		     "3 1 0:4 mnt:[2] /run/m rw - nsfs nsfs rw";
	int n = 0;

	CHECK_INT(mountinfo_foreach_buf(buf, count_nsfs, &n), 0);
	CHECK_INT(n, 2);
}

TEST(ns_link_forms)
{
	enum insp_ns_type type;
	ino_t ino;

	CHECK_INT(ns_parse_link("pid:[4026531836]", &type, &ino), 0);
	CHECK_INT(type, INSP_NS_PID);
	CHECK_INT(ns_parse_link("time:[1]", &type, &ino), 0);
	CHECK_INT(type, INSP_NS_TIME);
	CHECK(ns_parse_link("pid_for_children:[4]", &type, &ino) < 0);
	CHECK(ns_parse_link("net:[]", &type, &ino) < 0);
	CHECK(ns_parse_link("net:[12", &type, &ino) < 0);
	CHECK(ns_parse_link("net:[12]x", &type, &ino) < 0);
	CHECK(ns_parse_link("net:[0]", &type, &ino) < 0);
	CHECK(ns_parse_link("net:[99999999999]", &type, &ino) < 0);
	CHECK(ns_parse_link("socket:[123]", &type, &ino) < 0);
	CHECK(ns_parse_link("anon_inode:[eventfd]", &type, &ino) < 0);
}

static const struct insp_mount *mount_at(const struct insp_mounts *m, const char *target)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].target, target))
			return &m->v[i];
	return NULL;
}

/* A container's mounts placed on its host by device and root, with docker's masks and a socket. */
TEST(mount_table_on_host)
{
	char container[] =
		"97 96 0:52 / / rw - overlay overlay rw,lowerdir=/nonexistent/l/AB:/nonexistent/l/CD,upperdir=/u/diff\n"
		"98 97 0:55 / /proc rw - proc proc rw\n"
		"99 98 0:5 /null /proc/kcore rw master:2 - devtmpfs udev rw\n"
		"100 97 8:1 /srv/data /data rw shared:7 - ext4 /dev/sda1 rw\n"
		"101 97 0:24 /docker.sock /run/docker.sock rw - tmpfs tmpfs rw\n"
		"102 97 8:1 / /host ro - ext4 /dev/sda1 ro\n";
	char host[] = "22 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
		      "23 22 0:24 / /run rw shared:5 - tmpfs tmpfs rw\n"
		      "24 22 0:52 / /var/lib/docker/overlay2/x/merged rw - overlay overlay rw\n";
	struct insp_mounts m;
	const struct insp_mount *x;
	char prop[32];

	CHECK_INT(insp_mounts_parse(container, host, false, &m), 0);
	CHECK_INT(m.n, 6);
	CHECK((x = mount_at(&m, "/")) && x == insp_mounts_root(&m));
	CHECK_STR(x ? x->host_path : NULL, "/var/lib/docker/overlay2/x/merged");
	CHECK(x && x->nlower == 2 && !strcmp(x->lower[0], "/nonexistent/l/AB") && !strcmp(x->upper, "/u/diff"));
	CHECK_STR((x = mount_at(&m, "/data")) ? x->host_path : NULL, "/srv/data");
	CHECK(x && insp_mount_propagation(x, prop, sizeof(prop)) == 0 && !strcmp(prop, "shared:7"));
	CHECK((x = mount_at(&m, "/proc/kcore")) && x->masked);
	CHECK(x && insp_mount_propagation(x, prop, sizeof(prop)) == 0 && !strcmp(prop, "master:2"));
	CHECK_STR((x = mount_at(&m, "/run/docker.sock")) ? x->host_path : NULL, "/run/docker.sock");
	CHECK((x = mount_at(&m, "/host")) && x->read_only);
	CHECK_INT(m.nwarnings, 3);
	CHECK(m.nwarnings == 3 && strstr(m.warnings[0], "/run/docker.sock: a container runtime's socket"));
	CHECK(m.nwarnings == 3 && strstr(m.warnings[1], "/host: the host's root filesystem (read-only)"));
	CHECK(m.nwarnings == 3 && strstr(m.warnings[2], "/proc/sys: writable"));
	insp_mounts_free(&m);
}

TAP_MAIN("mountinfo", TEST_ENTRY(line_with_optional_fields), TEST_ENTRY(nsfs_line_and_escapes),
	 TEST_ENTRY(malformed_lines), TEST_ENTRY(foreach_buffer), TEST_ENTRY(ns_link_forms),
	 TEST_ENTRY(mount_table_on_host))
