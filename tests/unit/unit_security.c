// SPDX-License-Identifier: GPL-2.0-or-later
/* Capability names and profiles, id maps, status security fields. */
#include <errno.h>
#include <stdlib.h>

#include "inspect/caps.h"
#include "inspect/security.h"
#include "procfs.h"
#include "../lib/tap.h"

#define DOCKER_DEFAULT 0xa80425fbULL

TEST(cap_names_from_libcap_and_beyond)
{
	char name[32];

	CHECK_INT(insp_cap_name(21, name, sizeof(name)), 0);
	CHECK_STR(name, "cap_sys_admin");
	CHECK_INT(insp_cap_name(45, name, sizeof(name)), 0);
	CHECK_STR(name, "cap_45");
	CHECK_INT(insp_cap_name(64, name, sizeof(name)), -ERANGE);
}

TEST(caps_parse_hex_and_names)
{
	uint64_t m;

	CHECK_INT(insp_caps_parse("0xa80425fb", &m), 0);
	CHECK_INT(m, DOCKER_DEFAULT);
	CHECK_INT(insp_caps_parse("00000000a80425fb", &m), 0);
	CHECK_INT(m, DOCKER_DEFAULT);
	CHECK_INT(insp_caps_parse("cap_chown,SYS_ADMIN, net_raw", &m), 0);
	CHECK_INT(m, (1ULL << 0) | (1ULL << 21) | (1ULL << 13));
	CHECK_INT(insp_caps_parse("cap_63", &m), 0);
	CHECK_INT(m, 1ULL << 63);
	CHECK_INT(insp_caps_parse("cap_64", &m), -EINVAL);
	CHECK_INT(insp_caps_parse("cap_nonsense", &m), -EINVAL);
	CHECK_INT(insp_caps_parse("0x1ffffffffffffffff", &m), -EINVAL);
	CHECK_INT(insp_caps_parse("", &m), -EINVAL);
}

TEST(caps_profiles)
{
	uint64_t full = insp_caps_profile_mask(INSP_CAPS_FULL);
	char *d;

	CHECK_STR(d = insp_caps_describe(DOCKER_DEFAULT), "docker default");
	free(d);
	CHECK_STR(d = insp_caps_describe(DOCKER_DEFAULT | 1ULL << 21), "docker default + SYS_ADMIN");
	free(d);
	CHECK_STR(d = insp_caps_describe((DOCKER_DEFAULT | 1ULL << 21) & ~(1ULL << 13)),
		  "docker default + SYS_ADMIN - NET_RAW");
	free(d);
	CHECK_STR(d = insp_caps_describe(0), "none");
	free(d);
	CHECK_STR(d = insp_caps_describe(1ULL << 21), "SYS_ADMIN");
	free(d);
	CHECK_STR(d = insp_caps_describe(full), "full");
	free(d);
	CHECK_STR(d = insp_caps_describe(full & ~(1ULL << 24)), "full - SYS_RESOURCE");
	free(d);
	CHECK_STR(d = insp_caps_names(3), "cap_chown,cap_dac_override");
	free(d);
}

TEST(idmap_parse_and_translate)
{
	struct insp_idmap m;
	uint32_t in;

	CHECK_INT(insp_idmap_parse("         0     100000      65536\n     65536       1000          1\n", &m), 0);
	CHECK_INT(m.n, 2);
	CHECK_INT(insp_idmap_to_inside(&m, 100000, &in), 0);
	CHECK_INT(in, 0);
	CHECK_INT(insp_idmap_to_inside(&m, 165535, &in), 0);
	CHECK_INT(in, 65535);
	CHECK_INT(insp_idmap_to_inside(&m, 1000, &in), 0);
	CHECK_INT(in, 65536);
	CHECK_INT(insp_idmap_to_inside(&m, 0, &in), -ENOENT);
	CHECK(!insp_idmap_is_identity(&m));
	insp_idmap_free(&m);
	CHECK_INT(insp_idmap_parse("0 0 4294967295\n", &m), 0);
	CHECK(insp_idmap_is_identity(&m));
	CHECK_INT(insp_idmap_to_inside(&m, 4294967294u, &in), 0);
	insp_idmap_free(&m);
	CHECK_INT(insp_idmap_parse("", &m), 0);
	CHECK_INT(m.n, 0);
	CHECK_INT(insp_idmap_parse("0 100 10\n5 200 10\n", &m), -EINVAL);	/* inside overlaps */
	CHECK_INT(insp_idmap_parse("0 100 10\n50 105 10\n", &m), -EINVAL);	/* outside overlaps */
	CHECK_INT(insp_idmap_parse("0 1 0\n", &m), -EINVAL);
	CHECK_INT(insp_idmap_parse("1 4294967295 2\n", &m), -EINVAL);
	CHECK_INT(insp_idmap_parse("0 1\n", &m), -EINVAL);
	CHECK_INT(insp_idmap_parse("0 1 2 3\n", &m), -EINVAL);
}

static const char status[] =
	"Name:\tsleep\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\nGroups:\t4 24 27 \n"
	"CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\n"
	"CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n"
	"Seccomp_filters:\t3\n";

TEST(status_security_fields)
{
	uint32_t ids[4], *groups;
	uint64_t hex;
	long long v;
	unsigned n;

	CHECK_INT(procfs_parse_status_ids(status, "Uid:", ids), 0);
	CHECK_INT(ids[0], 1000);
	CHECK_INT(ids[3], 1003);
	CHECK_INT(procfs_parse_status_ids(status, "Gid:", ids), 0);
	CHECK_INT(ids[1], 6);
	CHECK_INT(procfs_parse_status_groups(status, &groups, &n), 0);
	CHECK_INT(n, 3);
	CHECK_INT(groups[2], 27);
	free(groups);
	CHECK_INT(procfs_parse_status_hex(status, "CapPrm:", &hex), 0);
	CHECK_INT(hex, DOCKER_DEFAULT);
	CHECK_INT(procfs_parse_status_hex(status, "CapBnd:", &hex), 0);
	CHECK_INT(hex, 0x1ffffffffffULL);
	CHECK_INT(procfs_parse_status_int(status, "Seccomp_filters:", &v), 0);
	CHECK_INT(v, 3);
	CHECK_INT(procfs_parse_status_int(status, "Seccomp:", &v), 0);
	CHECK_INT(v, 2);
	CHECK_INT(procfs_parse_status_int(status, "Speculation:", &v), -ENOENT);
	CHECK_INT(procfs_parse_status_hex("CapEff:\t00000000000000001\n", "CapEff:", &hex), -ERANGE);
	CHECK_INT(procfs_parse_status_hex("CapEff:\t12xz\n", "CapEff:", &hex), -EINVAL);
	CHECK_INT(procfs_parse_status_ids("Uid:\t1 2 3\n", "Uid:", ids), -EINVAL);
	CHECK_INT(procfs_parse_status_groups("Groups:\t\n", &groups, &n), 0);
	CHECK_INT(n, 0);
	free(groups);
}

TAP_MAIN("security", TEST_ENTRY(cap_names_from_libcap_and_beyond), TEST_ENTRY(caps_parse_hex_and_names),
	 TEST_ENTRY(caps_profiles), TEST_ENTRY(idmap_parse_and_translate),
	 TEST_ENTRY(status_security_fields))
