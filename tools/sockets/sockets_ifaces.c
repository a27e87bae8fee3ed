// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl sockets --interfaces: each namespace's interfaces, and where every veth leads. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include <inspect/container.h>
#include <inspect/ns.h>
#include <inspect/proc.h>
#include <inspect/sockets.h>

#include "cli.h"
#include "json.h"
#include "procinfo.h"
#include "sockets.h"
#include "xalloc.h"

#define CMD "sockets"

enum {
	COL_NETNS, COL_IFINDEX, COL_NAME, COL_KIND, COL_STATE, COL_MTU, COL_MAC, COL_ADDRESSES,
	COL_PEER, COL_PEER_IFINDEX, COL_PEER_NETNS, COL_PEER_CONTAINER, COL_CONTAINER, COL_NSFS, NCOLS
};

const struct column ifaces_columns[NCOLS] = {
	[COL_NETNS] = { "NETNS", "network namespace (inode number; JSON: {ino, id})", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_IFINDEX] = { "IFINDEX", "interface index in its namespace", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_NAME] = { "NAME", "interface name", 0, COL_JSON_STRING, NULL },
	[COL_KIND] = { "KIND", "veth, bridge, ... (empty for a plain device)", 0, COL_JSON_STRING, NULL },
	[COL_STATE] = { "STATE", "UP or DOWN; NO-CARRIER when up without a link", 0, COL_JSON_STRING, NULL },
	[COL_MTU] = { "MTU", "MTU in bytes", COL_RIGHT, COL_JSON_NUMBER, "mtu_bytes" },
	[COL_MAC] = { "MAC", "link-layer address", 0, COL_JSON_STRING, NULL },
	[COL_ADDRESSES] = { "ADDRESSES", "IPv4 and IPv6 addresses with prefix (JSON: an array)", COL_TRUNC,
			    COL_JSON_STRING, NULL },
	[COL_PEER] = { "PEER", "a veth's other end, by name", 0, COL_JSON_STRING, NULL },
	[COL_PEER_IFINDEX] = { "PEER_IFINDEX", "its index in its namespace", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_PEER_NETNS] = { "PEER_NETNS", "the namespace it is in (JSON: {ino, id})", COL_RIGHT, COL_JSON_NUMBER,
			     NULL },
	[COL_PEER_CONTAINER] = { "PEER_CONTAINER", "the container of that namespace", 0, COL_JSON_STRING, NULL },
	[COL_CONTAINER] = { "CONTAINER", "the container of this namespace (runtime:name)", 0, COL_JSON_STRING, NULL },
	[COL_NSFS] = { "NSFS", "the nsfs mounts that keep this namespace (ip netns add)", 0, COL_JSON_STRING, NULL },
};
const size_t ifaces_ncolumns = NCOLS;
const int ifaces_default_columns[] = { COL_NETNS, COL_NAME, COL_KIND, COL_STATE, COL_ADDRESSES,
				       COL_PEER, COL_PEER_NETNS, COL_PEER_CONTAINER, COL_CONTAINER };
const size_t ifaces_ndefault = sizeof(ifaces_default_columns) / sizeof(ifaces_default_columns[0]);

/* Each namespace of set: the table's entry (its lowest-pid member, or the mount that keeps it) and its id. */
struct netns_seen {
	const struct insp_ns *ns;
	uint64_t id;
};

struct ifaces_run {
	struct insp_procs *procs;
	struct insp_ns_table *table;
	struct insp_container_cache *names;
	struct insp_netns_ifaces *set;
	struct netns_seen *seen;
	size_t n, failed;
};

static void read_namespace(struct ifaces_run *run, const struct insp_ns *ns)
{
	struct insp_netns_ifaces *e;
	struct insp_error err = { 0 };
	uint64_t id;
	int fd = sockets_open_netns(ns, &id, &err);

	if (fd == -ENOENT || fd == -ESRCH)
		return;
	run->set = xreallocarray(run->set, run->n + 1, sizeof(*run->set));
	run->seen = xreallocarray(run->seen, run->n + 1, sizeof(*run->seen));
	e = &run->set[run->n];
	*e = (struct insp_netns_ifaces){ .ino = ns->ino, .fd = fd };
	if (fd < 0 || insp_ifaces_read(fd, &e->ifaces, &err) < 0) {
		cli_error(CMD, "net namespace %lu: %s", (unsigned long)e->ino, err.msg);
		run->failed++;
		if (fd >= 0)
			close(fd);
		return;
	}
	run->seen[run->n++] = (struct netns_seen){ .ns = ns, .id = id };
}

static void set_container(struct ifaces_run *run, struct row *row, int col, const struct insp_ns *ns)
{
	const struct insp_container_info *c;
	struct insp_container_ref ref;

	if (!ns->proc || proc_container(ns->proc, &ref) < 0 || !(c = insp_container_cache_get(run->names, &ref)))
		return;
	row_set_container(row, col, c);
}

static void set_addresses(struct row *row, const struct insp_iface *f)
{
	json_object *a = json_object_new_array();
	char text[1024] = "", one[64];
	size_t at = 0;

	for (size_t i = 0; i < f->naddrs; i++) {
		if (insp_iface_addr_format(&f->addrs[i], one, sizeof(one)) < 0)
			continue;
		json_object_array_add(a, json_object_new_string(one));
		if (at < sizeof(text))
			at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%s", at ? "," : "", one);
	}
	row_set(row, COL_ADDRESSES, text);
	row_set_json(row, COL_ADDRESSES, a);
}

static void set_peer(struct ifaces_run *run, struct row *row, const struct insp_iface *f)
{
	const struct insp_netns_ifaces *ns;
	const struct insp_iface *w;

	if (f->peer_ns < 0) {
		/* Its index is known even when no process or mount of ours reaches its namespace. */
		if (f->link_ifindex > 0 && !strcmp(f->kind, "veth"))
			row_setf(row, COL_PEER_IFINDEX, "%d", f->link_ifindex);
		return;
	}
	ns = &run->set[f->peer_ns];
	w = &ns->ifaces.v[f->peer_iface];
	row_set(row, COL_PEER, w->name);
	row_setf(row, COL_PEER_IFINDEX, "%d", w->ifindex);
	row_setf(row, COL_PEER_NETNS, "%lu", (unsigned long)ns->ino);
	row_set_json(row, COL_PEER_NETNS, json_ns(ns->ino, run->seen[f->peer_ns].id));
	set_container(run, row, COL_PEER_CONTAINER, run->seen[f->peer_ns].ns);
}

static void add_rows(struct ifaces_run *run, struct table *t, size_t k)
{
	const struct insp_netns_ifaces *ns = &run->set[k];

	for (size_t i = 0; i < ns->ifaces.n; i++) {
		const struct insp_iface *f = &ns->ifaces.v[i];
		struct row *row = table_add_row(t);

		row_setf(row, COL_NETNS, "%lu", (unsigned long)ns->ino);
		row_set_json(row, COL_NETNS, json_ns(ns->ino, run->seen[k].id));
		row_setf(row, COL_IFINDEX, "%d", f->ifindex);
		row_set(row, COL_NAME, f->name);
		row_set(row, COL_KIND, f->kind);
		row_set(row, COL_STATE, !(f->flags & IFF_UP) ? "DOWN" : f->flags & IFF_RUNNING ? "UP" : "NO-CARRIER");
		row_setf(row, COL_MTU, "%u", f->mtu);
		if (f->has_mac)
			row_setf(row, COL_MAC, "%02x:%02x:%02x:%02x:%02x:%02x", f->mac[0], f->mac[1], f->mac[2],
				 f->mac[3], f->mac[4], f->mac[5]);
		set_addresses(row, f);
		set_peer(run, row, f);
		if (table_has(t, COL_CONTAINER))
			set_container(run, row, COL_CONTAINER, run->seen[k].ns);
		row_set_nsfs(row, COL_NSFS, run->seen[k].ns);
	}
}

/* Every namespace is read, since a veth's other end may be anywhere; the target's alone is shown. */
static int collect(struct ifaces_run *run, struct insp_error *err)
{
	if (insp_ns_table_build(&run->table, run->procs, INSP_NS_WANT_MOUNTED, err) < 0)
		return -1;
	for (size_t i = 0; i < insp_ns_table_count(run->table); i++) {
		const struct insp_ns *ns = insp_ns_table_at(run->table, i);

		if (sockets_netns_listed(ns, 0))
			read_namespace(run, ns);
	}
	insp_ifaces_pair(run->set, run->n);
	return 0;
}

static void run_free(struct ifaces_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		insp_ifaces_free(&run->set[i].ifaces);
		close(run->set[i].fd);
	}
	free(run->set);
	free(run->seen);
	insp_ns_table_free(run->table);
	insp_container_cache_free(run->names);
	insp_procs_free(run->procs);
}

int sockets_ifaces_list(const struct sockets_opts *o)
{
	struct ifaces_run run = { 0 };
	struct insp_error err = { 0 };
	struct table *t;
	ino_t only;
	int r = sockets_scan(o, &only, &run.procs, &run.names);

	if (r != EXIT_OK)
		return r;
	if (collect(&run, &err) < 0) {
		run_free(&run);
		return cli_insp_error(CMD, &err);
	}
	t = table_new(ifaces_columns, o->cols, o->ncols);
	for (size_t k = 0; k < run.n; k++)
		if (!only || run.set[k].ino == only)
			add_rows(&run, t, k);
	r = EXIT_OK;
	if (table_print(t, stdout, &o->out) < 0 || fflush(stdout) != 0) {
		cli_error(CMD, "writing output: %s", strerror(errno));
		r = EXIT_FAIL;
	}
	if (run.failed)
		cli_error(CMD, "%zu of %zu network namespaces could not be read", run.failed, run.n + run.failed);
	table_free(t);
	run_free(&run);
	return r == EXIT_OK && run.failed && !run.n ? EXIT_FAIL : r;
}
