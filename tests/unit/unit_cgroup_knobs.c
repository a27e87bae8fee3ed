// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Knob values as typed, and set/create on a pure-v2 tree kept in plain
 * files (this host's v2 has almost no controllers): routing, validation,
 * rollback and subtree_control, without a kernel in the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "../lib/tap.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char *get(const char *rel)
{
	static char buf[256];
	char path[256];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	buf[0] = '\0';
	if ((f = fopen(path, "r"))) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* A v2 root offering cpu, memory, pids and cpuset, and one child /a. */
static struct insp_cgroup_hierarchies *fixture(void)
{
	char mountinfo[256], path[128];
	struct insp_cgroup_hierarchies *hs = NULL;

	snprintf(root, sizeof(root), "/tmp/nsctl-cgfixture-XXXXXX");
	if (!mkdtemp(root))
		return NULL;
	snprintf(path, sizeof(path), "%s/a", root);
	mkdir(path, 0755);
	put("cgroup.controllers", "cpuset cpu io memory pids\n");
	put("cgroup.subtree_control", "\n");
	put("cpuset.cpus.effective", "0-3\n");
	put("a/cgroup.controllers", "cpuset cpu io memory pids\n");
	put("a/cgroup.subtree_control", "memory\n");
	put("a/memory.max", "max\n");
	put("a/memory.high", "max\n");
	put("a/cpu.max", "max 100000\n");
	put("a/cpu.weight", "100\n");
	put("a/cpuset.cpus", "\n");
	/* A symlink where a file belongs: readable, but never written through. */
	put("pids-target", "max\n");
	snprintf(path, sizeof(path), "%s/a/pids.max", root);
	if (symlink("../pids-target", path) < 0)
		perror("symlink");
	snprintf(mountinfo, sizeof(mountinfo), "30 1 0:26 / %s rw - cgroup2 cgroup2 rw\n", root);
	insp_cgroup_hierarchies_parse(&hs, mountinfo,
				      "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t0\t1\t1\n"
				      "cpu\t0\t1\t1\nio\t0\t1\t1\nmemory\t0\t1\t1\npids\t0\t1\t1\n",
				      NULL);
	return hs;
}

static void fixture_free(struct insp_cgroup_hierarchies *hs)
{
	char cmd[128];

	insp_cgroup_hierarchies_free(hs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", root);
}

TEST(bytes_units)
{
	uint64_t v;

	CHECK_INT(cgv_parse_bytes("512M", &v, NULL), 0);
	CHECK_INT(v, 512ULL << 20);
	CHECK_INT(cgv_parse_bytes("1.5G", &v, NULL), 0);
	CHECK_INT(v, 3ULL << 29);
	CHECK_INT(cgv_parse_bytes("2KiB", &v, NULL), 0);
	CHECK_INT(v, 2048);
	CHECK_INT(cgv_parse_bytes("infinity", &v, NULL), 0);
	CHECK(v == INSP_CGROUP_UNLIMITED);
	CHECK_INT(cgv_parse_bytes("-1", &v, NULL), -EINVAL);
	CHECK_INT(cgv_parse_bytes("12Q", &v, NULL), -EINVAL);
	CHECK_INT(cgv_parse_bytes("1.5", &v, NULL), -EINVAL);
	CHECK_INT(cgv_parse_bytes("8E", &v, NULL), -ERANGE);
	CHECK_INT(cgv_parse_bytes("99999999999999999999999", &v, NULL), -ERANGE);
	CHECK_INT(cgv_parse_bytes("", &v, NULL), -EINVAL);
}

TEST(cpu_max_forms)
{
	struct cgv_cpu_max c;

	CHECK_INT(cgv_parse_cpu_max("50%", 100000, &c, NULL), 0);
	CHECK_INT(c.quota, 50000);
	CHECK_INT(cgv_parse_cpu_max("1.5", 200000, &c, NULL), 0);
	CHECK_INT(c.quota, 300000);
	CHECK_INT(cgv_parse_cpu_max("50000 100000", 0, &c, NULL), 0);
	CHECK_INT(c.quota, 50000);
	CHECK_INT(c.period, 100000);
	CHECK_INT(cgv_parse_cpu_max("max", 0, &c, NULL), 0);
	CHECK(c.quota == INSP_CGROUP_UNLIMITED);
	/* Kernel bounds: quota >= 1 ms, period 1 ms..1 s. */
	CHECK_INT(cgv_parse_cpu_max("0.5%", 100000, &c, NULL), -ERANGE);
	CHECK_INT(cgv_parse_cpu_max("50000 999", 0, &c, NULL), -ERANGE);
	CHECK_INT(cgv_parse_cpu_max("50000 2000000", 0, &c, NULL), -ERANGE);
	CHECK_INT(cgv_parse_cpu_max("fast", 0, &c, NULL), -EINVAL);
	CHECK_INT(cgv_parse_cpu_max("1 2 3", 0, &c, NULL), -EINVAL);
}

TEST(io_and_cpu_lists)
{
	static uint64_t bits[CGV_MAX_CPUS / 64], allowed[CGV_MAX_CPUS / 64];
	struct cgv_io_max io;
	char buf[128];
	unsigned first;

	CHECK_INT(cgv_parse_io_max("8:0 rbps=10M wiops=100", &io, NULL), 0);
	CHECK(io.major == 8 && io.minor == 0 && io.set[CGV_RBPS] && io.set[CGV_WIOPS] && !io.set[CGV_WBPS]);
	CHECK_INT(io.v[CGV_RBPS], 10 << 20);
	CHECK_INT(cgv_parse_io_max("8:0", &io, NULL), -EINVAL);
	CHECK_INT(cgv_parse_io_max("8:0 speed=1", &io, NULL), -EINVAL);
	CHECK_INT(cgv_parse_io_max("-8:0 rbps=1", &io, NULL), -EINVAL);
	CHECK_INT(cgv_parse_cpus("0-3,6", bits, NULL), 0);
	cgv_format_cpus(bits, buf, sizeof(buf));
	CHECK_STR(buf, "0-3,6");
	CHECK_INT(cgv_parse_cpus("3-1", bits, NULL), -EINVAL);
	CHECK_INT(cgv_parse_cpus("99999", bits, NULL), -ERANGE);
	CHECK_INT(cgv_parse_cpus("0-1", allowed, NULL), 0);
	CHECK_INT(cgv_parse_cpus("1-2", bits, NULL), 0);
	CHECK(cgv_cpus_outside(bits, allowed, &first) && first == 2);
}

TEST(weights_and_psi)
{
	struct insp_cgroup_psi psi;
	uint64_t v;

	CHECK_INT(cgv_weight_to_shares(1), 2);
	CHECK_INT(cgv_weight_to_shares(10000), 262144);
	CHECK_INT(cgv_shares_to_weight(262144), 10000);
	CHECK_INT(insp_cgroup_psi_parse("some avg10=1.50 avg60=0.00 avg300=0.00 total=42\n"
					"full avg10=0.25 avg60=0.00 avg300=0.00 total=7\n",
					&psi),
		  0);
	CHECK(psi.some.avg10 == 1.5 && psi.some.total_us == 42 && psi.full.present && psi.full.total_us == 7);
	CHECK_INT(insp_cgroup_psi_parse("garbage", &psi), -EINVAL);
	CHECK_INT(insp_cgroup_keyed("usage_usec 5\nnr_throttled 12\n", "nr_throttled", &v), 0);
	CHECK_INT(v, 12);
	CHECK_INT(insp_cgroup_keyed("nr_throttled_x 1\n", "nr_throttled", &v), -ENOENT);
}

TEST(v2_fixture_set_and_rollback)
{
	struct insp_cgroup_hierarchies *hs = fixture();
	char *sets[] = { "memory.max=512M", "cpu.max=50%" }, *bad[] = { "memory.max=1G", "pids.max=5" },
	     *outside[] = { "memory.high=1G", "cpuset.cpus=0-7" };
	struct insp_cgroup_changes c;
	struct insp_cgroup *cg;
	struct insp_error err = { 0 };

	CHECK(hs != NULL);
	if (!hs)
		return;
	CHECK_INT(insp_cgroup_open(hs, "/a", &cg, NULL), 0);
	CHECK_INT(insp_cgroup_set(cg, sets, 2, 0, &c, NULL), 0);
	CHECK_STR(get("a/memory.max"), "536870912");
	CHECK_STR(get("a/cpu.max"), "50000 100000");
	CHECK_STR(c.v[0].old_value, "max");
	insp_cgroup_changes_free(&c);
	/* The second write fails: the first goes back to 512M. */
	CHECK(insp_cgroup_set(cg, bad, 2, 0, &c, &err) < 0);
	CHECK_STR(get("a/memory.max"), "536870912");
	CHECK(strstr(err.msg, "pids.max=5") && strstr(err.msg, "restored"));
	CHECK_STR(get("pids-target"), "max");
	/* Refused before any write: cpus outside the parent's effective set. */
	CHECK_INT(insp_cgroup_set(cg, outside, 2, 0, &c, &err), -EINVAL);
	CHECK_STR(get("a/memory.high"), "max");
	CHECK(strstr(err.msg, "cpu 4") != NULL);
	insp_cgroup_close(cg);
	fixture_free(hs);
}

TEST(v2_fixture_create_enables_controllers)
{
	struct insp_cgroup_hierarchies *hs = fixture();
	struct insp_cgroup_create_opts o = { .controllers = "memory,pids" };
	struct insp_cgroup_changes c;
	struct stat st;
	char path[128];

	if (!hs)
		return;
	CHECK_INT(insp_cgroup_create(hs, "/a/x", &o, &c, NULL), 0);
	/* Enabled top-down, only what is missing: the root for /a, then /a for /a/x. */
	CHECK_STR(get("cgroup.subtree_control"), "+memory +pids");
	CHECK_STR(get("a/cgroup.subtree_control"), "+pids");
	snprintf(path, sizeof(path), "%s/a/x", root);
	CHECK_INT(stat(path, &st), 0);
	insp_cgroup_changes_free(&c);
	CHECK_INT(insp_cgroup_create(hs, "/a/x", &o, &c, NULL), -EEXIST);
	CHECK_INT(insp_cgroup_create(hs, "/a/../c", &o, &c, NULL), -EINVAL);
	/* A knob that cannot be written: the new directory and the enabling are undone. */
	put("cgroup.subtree_control", "\n");
	put("a/cgroup.subtree_control", "memory\n");
	o.assignments = (char *[]){ "memory.max=1G" };
	o.n_assignments = 1;
	CHECK(insp_cgroup_create(hs, "/a/y", &o, &c, NULL) < 0);
	snprintf(path, sizeof(path), "%s/a/y", root);
	CHECK_INT(stat(path, &st), -1);
	CHECK_STR(get("a/cgroup.subtree_control"), "-pids");
	fixture_free(hs);
}

TAP_MAIN("cgroup_knobs", TEST_ENTRY(bytes_units), TEST_ENTRY(cpu_max_forms), TEST_ENTRY(io_and_cpu_lists),
	 TEST_ENTRY(weights_and_psi), TEST_ENTRY(v2_fixture_set_and_rollback),
	 TEST_ENTRY(v2_fixture_create_enables_controllers))
