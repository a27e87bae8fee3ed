// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>

#include "procfs.h"
#include "../lib/tap.h"

static const struct {
	const char *why, *line, *comm;
	pid_t pid, ppid;
	char state;
	unsigned long long start;
} stat_lines[] = {
	{ "plain", "4242 (sleep) S 4000 4242 4000 0 -1 4194304 95 0 0 0 0 0 0 0 20 0 1 0 "
		   "123456 2400000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0",
	  "sleep", 4242, 4000, 'S', 123456 },
	/* comm may hold ") S 1 (" and spaces: only the last ')' ends it. */
	{ "hostile comm", "77 (a) S 1 (b c) Z 12 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0",
	  "a) S 1 (b c", 77, 12, 'Z', 999 },
	{ "long comm is cut", "5 (abcdefghijklmnopqrstuvwxyz) R 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7",
	  "abcdefghijklmno", 5, 0, 'R', 7 },
};

TEST(stat_lines_parse)
{
	for (size_t i = 0; i < sizeof(stat_lines) / sizeof(stat_lines[0]); i++) {
		struct procfs_stat st;

		printf("# %s\n", stat_lines[i].why);
		CHECK_INT(procfs_parse_stat(stat_lines[i].line, &st), 0);
		CHECK_INT(st.pid, stat_lines[i].pid);
		CHECK_STR(st.comm, stat_lines[i].comm);
		CHECK_INT(st.state, stat_lines[i].state);
		CHECK_INT(st.ppid, stat_lines[i].ppid);
		CHECK_INT(st.start_time, stat_lines[i].start);
	}
}

TEST(stat_malformed)
{
	struct procfs_stat st;

	CHECK(procfs_parse_stat("", &st) < 0);
	CHECK(procfs_parse_stat("12 (x", &st) < 0);
	CHECK(procfs_parse_stat("x (y) S 1", &st) < 0);
	CHECK(procfs_parse_stat("12 (y) S", &st) < 0);
	CHECK(procfs_parse_stat("12 (y) S 1 2 3", &st) < 0);
	CHECK(procfs_parse_stat("12 (y) S -5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1", &st) < 0);
	CHECK(procfs_parse_stat(")12 (y", &st) < 0);
}

TEST(status_uid_and_nspid)
{
	const char *status = "Name:\tsh\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t90\n"
			     "Uid:\t1000\t1001\t1002\t1003\nGid:\t5\t5\t5\t5\n"
			     "NSpid:\t90\t12\t1\nNSpgid:\t90\t12\t1\n";
	uid_t uid = 0;
	pid_t *nspid = NULL;
	unsigned n = 0;

	CHECK_INT(procfs_parse_status_uid(status, &uid), 0);
	CHECK_INT(uid, 1001);
	CHECK_INT(procfs_parse_status_nspid(status, &nspid, &n), 0);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_INT(nspid[0], 90);
		CHECK_INT(nspid[1], 12);
		CHECK_INT(nspid[2], 1);
	}
	free(nspid);
	CHECK(procfs_parse_status_uid("Name:\tx\n", &uid) == -ENOENT);
	CHECK(procfs_parse_status_nspid("NSpid:\t\n", &nspid, &n) < 0);
	CHECK(procfs_parse_status_nspid("NSpid:\t1 x\n", &nspid, &n) < 0);
}

TEST(cmdline_join)
{
	char buf[] = "sleep\0infinity\0\0";

	procfs_join_cmdline(buf, sizeof(buf) - 1);
	CHECK_STR(buf, "sleep infinity");
	char nl[] = "a\nb\0c";
	procfs_join_cmdline(nl, sizeof(nl) - 1);
	CHECK_STR(nl, "a\nb c");
	char empty[] = "";
	procfs_join_cmdline(empty, 0);
	CHECK_STR(empty, "");
}

TEST(cgroup_v2_path)
{
	char *path = NULL;

	CHECK_INT(procfs_parse_cgroup_v2("12:pids:/a\n0::/system.slice/x.service\n", &path), 0);
	CHECK_STR(path, "/system.slice/x.service");
	free(path);
	CHECK(procfs_parse_cgroup_v2("4:memory:/x\n", &path) == -ENOENT);
}

TAP_MAIN("procfs", TEST_ENTRY(stat_lines_parse), TEST_ENTRY(stat_malformed),
	 TEST_ENTRY(status_uid_and_nspid), TEST_ENTRY(cmdline_join), TEST_ENTRY(cgroup_v2_path))
