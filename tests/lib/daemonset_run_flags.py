#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The DaemonSet's pod as `podman run` (or `docker run`) arguments, one per
line, so that the image test runs the container the way the manifest says:
its capabilities, seccomp profile, read-only root, no_new_privs, user, host
pid namespace, read-only mounts, resource limits and arguments. Anything the
manifest asks that this does not know how to translate fails.

  daemonset_run_flags.py MANIFEST --image IMG --pod-ip IP --port PORT --state-root DIR

Runtime state directories are relocated below --state-root (the test's
runtimes keep their state there); mounts of /sys stay the host's. Volumes
whose source does not exist are left out, as an empty DirectoryOrCreate
would be.
"""
import argparse
import os
import re
import sys

import yaml


def fail(msg):
    sys.exit("daemonset_run_flags: " + msg)


def quantity(q):
    """A Kubernetes quantity (128Mi, 200m) as the run command wants it."""
    q = str(q)
    units = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}
    for suffix, mult in units.items():
        if q.endswith(suffix):
            return str(int(q[: -len(suffix)]) * mult)
    if q.endswith("m"):
        return "%g" % (int(q[:-1]) / 1000)
    return q


def security_flags(sc):
    known = {"runAsUser", "runAsGroup", "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem",
             "capabilities", "seccompProfile"}
    unknown = set(sc) - known
    if unknown:
        fail("securityContext fields not translated: %s" % ", ".join(sorted(unknown)))
    out = ["--user", "%d:%d" % (sc.get("runAsUser", 0), sc.get("runAsGroup", 0))]
    if sc.get("privileged"):
        out.append("--privileged")
    if sc.get("allowPrivilegeEscalation") is False:
        out += ["--security-opt", "no-new-privileges"]
    if sc.get("readOnlyRootFilesystem"):
        out.append("--read-only")
    caps = sc.get("capabilities", {})
    for c in caps.get("drop", []):
        out += ["--cap-drop", c]
    for c in caps.get("add", []):
        out += ["--cap-add", c]
    profile = sc.get("seccompProfile", {}).get("type", "RuntimeDefault")
    if profile == "Unconfined":
        out += ["--security-opt", "seccomp=unconfined"]
    elif profile != "RuntimeDefault":
        fail("seccomp profile %s not translated" % profile)
    return out


def mount_flags(pod, container, state_root):
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    out = []
    for m in container.get("volumeMounts", []):
        v = volumes[m["name"]]
        if "hostPath" not in v:
            fail("volume %s is not a hostPath" % m["name"])
        src = v["hostPath"]["path"]
        if not src.startswith("/sys/"):
            src = state_root + src
        if not os.path.exists(src):
            continue
        out += ["-v", "%s:%s%s" % (src, m["mountPath"], ":ro" if m.get("readOnly") else "")]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("--image", required=True)
    ap.add_argument("--pod-ip", required=True)
    ap.add_argument("--port", required=True)
    ap.add_argument("--state-root", required=True)
    a = ap.parse_args()
    docs = [d for d in yaml.safe_load_all(open(a.manifest)) if d and d.get("kind") == "DaemonSet"]
    if len(docs) != 1:
        fail("one DaemonSet expected in %s" % a.manifest)
    pod = docs[0]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    out = ["--name", "nsctl-exporter", "--detach", "--network", "host"]
    if pod.get("hostPID"):
        out += ["--pid", "host"]
    # Kubernetes gives a pod its own cgroup namespace on cgroup v2 hosts; the
    # runtimes do only there by default. Ask for it everywhere: the exporter
    # must see the host's cgroup paths through its mounts whatever its namespace.
    out += ["--cgroupns", "private"]
    out += security_flags(container.get("securityContext", {}))
    limits = container.get("resources", {}).get("limits", {})
    if "memory" in limits:
        out += ["--memory", quantity(limits["memory"])]
    if "cpu" in limits:
        out += ["--cpus", quantity(limits["cpu"])]
    out += mount_flags(pod, container, a.state_root)
    env = {e["name"]: a.pod_ip for e in container.get("env", [])
           if e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "status.podIP"}
    for name, value in env.items():
        out += ["-e", "%s=%s" % (name, value)]
    out.append(a.image)
    for arg in container.get("args", []):
        arg = re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), arg)
        # The manifest's port is the documented one; the test's is a free one.
        out.append(re.sub(r":9977$", ":" + a.port, arg))
    print("\n".join(out))


if __name__ == "__main__":
    main()
