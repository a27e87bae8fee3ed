// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include <inspect/container.h>

#include "../lib/tap.h"

#define ID "3f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19"

struct expect {
	const char *path, *runtime, *id, *pod, *qos;
};

static const struct expect cases[] = {
	{ "/docker/" ID, "docker", ID, "", "" },
	{ "/system.slice/docker-" ID ".scope", "docker", ID, "", "" },
	{ "/machine.slice/libpod-" ID ".scope", "podman", ID, "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope", "podman", ID, "", "" },
	{ "/libpod_parent/libpod-" ID, "podman", ID, "", "" },
	{ "/lxc.payload.web1", "lxc", "web1", "", "" },
	{ "/lxc/web2", "lxc", "web2", "", "" },
	{ "/machine.slice/systemd-nspawn@arch.service/payload", "nspawn", "arch", "", "" },
	{ "/machine.slice/machine-fedora.scope", "nspawn", "fedora", "", "" },
	{ "/system.slice/nerdctl-" ID ".scope", "containerd", ID, "", "" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/cri-containerd-" ID ".scope",
	  "containerd", ID, "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", "burstable" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podabc.slice/crio-" ID ".scope",
	  "cri-o", ID, "abc", "besteffort" },
	{ "/kubepods.slice/kubepods-pod9f.slice/crio-" ID ".scope", "cri-o", ID, "9f", "guaranteed" },
	{ "/kubepods/burstable/pod1a2b-3c4d/" ID, "cri", ID, "1a2b-3c4d", "burstable" },
	{ "/kubepods/pod77/crio-" ID, "cri-o", ID, "77", "guaranteed" },
	/* A container started inside another container's cgroup: the deepest wins. */
	{ "/docker/" ID "/docker/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "docker",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "" },
};

TEST(runtime_layouts)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct insp_container_ref ref;
		const struct expect *e = &cases[i];

		if (insp_container_from_cgroup_path(e->path, &ref) != 0) {
			printf("#   not recognised: %s\n", e->path);
			tap_current_failed = true;
			continue;
		}
		CHECK_STR(ref.runtime, e->runtime);
		CHECK_STR(ref.id, e->id);
		CHECK_STR(ref.pod_uid, e->pod);
		CHECK_STR(ref.qos, e->qos);
	}
}

TEST(not_containers)
{
	const char *paths[] = {
		"/", "", "/system.slice/sshd.service", "/user.slice/user-1000.slice/session-3.scope",
		"/docker", "/docker/notanid", "/system.slice/docker-abc.scope",
		"/system.slice/docker-" ID ".service", "/kubepods/burstable/pod1", "/init.scope",
	};
	struct insp_container_ref ref;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (insp_container_from_cgroup_path(paths[i], &ref) != -ENOENT) {
			printf("#   false positive: '%s' -> %s:%s\n", paths[i], ref.runtime, ref.id);
			tap_current_failed = true;
		}
}

TEST(cgroup_file_hybrid)
{
	struct insp_container_ref ref;
	/* Hybrid host: the unified line says nothing, a v1 line names the container. */
	const char *text = "9:name=systemd:/docker/" ID "\n4:memory:/docker/" ID "\n0::/\n";

	CHECK_INT(insp_container_from_cgroup_file(text, &ref), 0);
	CHECK_STR(ref.runtime, "docker");
	CHECK_INT(insp_container_from_cgroup_file("0::/\n1:cpu:/\n", &ref), -ENOENT);
	CHECK_INT(insp_container_from_cgroup_file("garbage\n::\n:", &ref), -ENOENT);
}

TEST(short_form)
{
	struct insp_container_ref ref;
	char buf[64];

	CHECK_INT(insp_container_from_cgroup_path("/docker/" ID, &ref), 0);
	CHECK_INT(insp_container_short(&ref, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "docker:3f2a1c9e8b7d");
	CHECK_INT(insp_container_from_cgroup_path("/lxc.payload.web1", &ref), 0);
	CHECK_INT(insp_container_short(&ref, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "lxc:web1");
	CHECK(insp_container_short(&ref, buf, 4) < 0);
}

TAP_MAIN("container", TEST_ENTRY(runtime_layouts), TEST_ENTRY(not_containers),
	 TEST_ENTRY(cgroup_file_hybrid), TEST_ENTRY(short_form))
