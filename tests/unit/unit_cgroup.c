// SPDX-License-Identifier: GPL-2.0-or-later
/* Cgroup hierarchies from saved mountinfo of pure v2, hybrid and pure v1 hosts. */
#include <errno.h>
#include <stdlib.h>

#include "inspect/cgroup.h"
#include "../lib/tap.h"

static const char proc_cgroups[] =
	"#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t3\t1\t1\ncpu\t1\t1\t1\n"
	"cpuacct\t1\t1\t1\nmemory\t4\t17\t1\npids\t8\t1\t1\nhugetlb\t0\t1\t1\n";

static const char hybrid[] =
	"30 22 0:27 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
	"32 30 0:29 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
	"33 30 0:30 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
	"34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
	"35 30 0:32 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
	/* The same memory hierarchy bind-mounted again: counted once. */
	"36 22 0:31 /docker /mnt/mem rw - cgroup cgroup rw,memory\n";

static const char cgroup_file[] =
	"9:name=systemd:/system.slice/docker.service\n"
	"8:pids:/docker/abc\n4:memory:/docker/abc\n1:cpuacct,cpu:/docker/abc\n"
	"3:cpuset:/\n0::/system.slice/docker.service\n";

TEST(hybrid_hierarchies)
{
	struct insp_cgroup_hierarchies *hs;
	const struct insp_cgroup_hierarchy *h;

	CHECK_INT(insp_cgroup_hierarchies_parse(&hs, hybrid, proc_cgroups, NULL), 0);
	CHECK_INT(insp_cgroup_hierarchies_count(hs), 5);
	h = insp_cgroup_hierarchy_for(hs, "memory");
	CHECK(h && !h->unified);
	CHECK_STR(h->mount, "/sys/fs/cgroup/memory");
	h = insp_cgroup_hierarchy_for(hs, "cpuacct");
	CHECK_STR(h->controllers, "cpu,cpuacct");
	h = insp_cgroup_hierarchies_at(hs, 1);
	CHECK_STR(h->controllers, "name=systemd");
	/* In no v1 hierarchy: /proc/cgroups puts it in hierarchy 0, which is v2's. */
	h = insp_cgroup_hierarchy_for(hs, "hugetlb");
	CHECK(h && h->unified);
	insp_cgroup_hierarchies_free(hs);
}

TEST(membership_routes_by_controller)
{
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_membership m;
	const struct insp_cgroup_member *mb;

	CHECK_INT(insp_cgroup_hierarchies_parse(&hs, hybrid, proc_cgroups, NULL), 0);
	CHECK_INT(insp_cgroup_membership_parse(cgroup_file, hs, &m), 0);
	CHECK_INT(m.n, 6);
	mb = insp_cgroup_membership_for(&m, hs, "memory");
	CHECK(mb != NULL);
	CHECK_STR(mb->dir, "/sys/fs/cgroup/memory/docker/abc");
	/* Controller order in /proc/PID/cgroup need not match the mount's. */
	mb = insp_cgroup_membership_for(&m, hs, "cpu");
	CHECK_STR(mb->dir, "/sys/fs/cgroup/cpu,cpuacct/docker/abc");
	CHECK_STR(m.v[5].dir, "/sys/fs/cgroup/unified/system.slice/docker.service");
	CHECK(m.v[4].hierarchy == NULL);	/* cpuset is not mounted */
	CHECK(m.v[4].dir == NULL);
	insp_cgroup_membership_free(&m);
	insp_cgroup_hierarchies_free(hs);
}

TEST(pure_v2_and_mount_roots)
{
	static const char v2[] =
		"25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
		"26 1 0:22 /kubepods /run/kp rw - cgroup2 cgroup2 rw\n";
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_membership m;

	CHECK_INT(insp_cgroup_hierarchies_parse(&hs, v2, "", NULL), 0);
	CHECK_INT(insp_cgroup_hierarchies_count(hs), 1);
	CHECK_INT(insp_cgroup_membership_parse("0::/kubepods/pod1/c\n", hs, &m), 0);
	CHECK_STR(m.v[0].dir, "/sys/fs/cgroup/kubepods/pod1/c");
	insp_cgroup_membership_free(&m);
	/* The root cgroup maps to the mount point itself. */
	CHECK_INT(insp_cgroup_membership_parse("0::/\n", hs, &m), 0);
	CHECK_STR(m.v[0].dir, "/sys/fs/cgroup");
	insp_cgroup_membership_free(&m);
	CHECK_INT(insp_cgroup_membership_parse("garbage\n", hs, &m), -EINVAL);
	insp_cgroup_hierarchies_free(hs);
}

/*
 * A node agent in its own cgroup namespace, the host's hierarchy mounted
 * over its own: the later mount is the one the path reaches, and its root,
 * seen from inside the namespace, lies above the namespace's.
 */
TEST(host_hierarchy_mounted_over_the_containers)
{
	static const char agent[] =
		"40 30 0:22 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
		"50 30 0:22 /../../.. /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_membership m;

	CHECK_INT(insp_cgroup_hierarchies_parse(&hs, agent, "", NULL), 0);
	CHECK_INT(insp_cgroup_hierarchies_count(hs), 1);
	CHECK_STR(insp_cgroup_hierarchies_at(hs, 0)->root, "/../../..");
	/* A host process, as /proc shows it from inside the namespace. */
	CHECK_INT(insp_cgroup_membership_parse("0::/../../../system.slice/cron.service\n", hs, &m), 0);
	CHECK_STR(m.v[0].dir, "/sys/fs/cgroup/system.slice/cron.service");
	insp_cgroup_membership_free(&m);
	insp_cgroup_hierarchies_free(hs);
}

TEST(mount_root_not_slash)
{
	static const char sub[] = "26 1 0:22 /kubepods /run/kp rw - cgroup2 cgroup2 rw\n";
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_membership m;

	CHECK_INT(insp_cgroup_hierarchies_parse(&hs, sub, "", NULL), 0);
	CHECK_INT(insp_cgroup_membership_parse("0::/kubepods/pod1\n", hs, &m), 0);
	CHECK_STR(m.v[0].dir, "/run/kp/pod1");
	insp_cgroup_membership_free(&m);
	/* Outside the mounted subtree: no directory, and no "/kubepods2" prefix confusion. */
	CHECK_INT(insp_cgroup_membership_parse("0::/kubepods2/x\n", hs, &m), 0);
	CHECK(m.v[0].dir == NULL);
	insp_cgroup_membership_free(&m);
	insp_cgroup_hierarchies_free(hs);
}

TAP_MAIN("cgroup", TEST_ENTRY(hybrid_hierarchies), TEST_ENTRY(membership_routes_by_controller),
	 TEST_ENTRY(pure_v2_and_mount_roots), TEST_ENTRY(host_hierarchy_mounted_over_the_containers),
	 TEST_ENTRY(mount_root_not_slash))
