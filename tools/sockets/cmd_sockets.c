// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl sockets: TCP, UDP and unix sockets of every network namespace, with who holds them. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <inspect/container.h>
#include <inspect/ns.h>
#include <inspect/proc.h>
#include <inspect/sockets.h>
#include <inspect/target.h>

#include "cli.h"
#include "json.h"
#include "output.h"
#include "procinfo.h"
#include "sockets.h"

#define CMD "sockets"

enum {
	COL_NETNS,
	COL_PROTO,
	COL_STATE,
	COL_LOCAL,
	COL_PEER,
	COL_PID,
	COL_COMM,
	COL_CONTAINER,
	COL_INODE,
	COL_UID,
	COL_HOLDERS,
	COL_NSFS,
	NCOLS
};

static const struct column columns[NCOLS] = {
	[COL_NETNS] = { "NETNS", "network namespace (inode number; JSON: {ino, id})", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_PROTO] = { "PROTO", "tcp, udp, unix, unix/dgram, unix/seqpacket", 0, COL_JSON_STRING, NULL },
	[COL_STATE] = { "STATE", "LISTEN, ESTAB, UNCONN... as ss names them", 0, COL_JSON_STRING, NULL },
	[COL_LOCAL] = { "LOCAL", "local address:port, or the unix socket's name", COL_TRUNC, COL_JSON_STRING, NULL },
	[COL_PEER] = { "PEER", "peer address:port, or the inode of the unix peer", 0, COL_JSON_STRING, NULL },
	[COL_PID] = { "PID", "lowest pid holding the socket", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_COMM] = { "COMM", "its command name", 0, COL_JSON_STRING, NULL },
	[COL_CONTAINER] = { "CONTAINER", "its container (runtime:name; JSON: the container object)", 0,
			    COL_JSON_STRING, NULL },
	[COL_INODE] = { "INODE", "the socket's inode", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_UID] = { "UID", "owner uid (TCP and UDP)", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_HOLDERS] = { "HOLDERS", "processes holding it", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_NSFS] = { "NSFS", "the nsfs mounts that keep its namespace (ip netns add)", 0, COL_JSON_STRING, NULL },
};

static const int default_columns[] = { COL_NETNS, COL_PROTO, COL_STATE, COL_LOCAL,    COL_PEER,
				       COL_PID,	  COL_COMM,  COL_CONTAINER };

struct sockets_run {
	const struct sockets_opts *o;
	struct insp_procs *procs;
	struct insp_container_cache *names;
	struct table *out;
	size_t namespaces, failed;
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl sockets [options] [TARGET]\n"
	      "\n"
	      "The TCP, UDP and unix sockets of every network namespace with a process\n"
	      "in it or an nsfs mount keeping it (ip netns add), or of TARGET's (a pid\n"
	      "or a container), from the kernel's sock_diag, with the process that holds\n"
	      "each and its container. 'Which container listens on 8080?' is:\n"
	      "nsctl sockets -l --port 8080\n"
	      "\n"
	      "With --interfaces, the network interfaces of each namespace instead, with\n"
	      "their addresses, and for each veth the interface at its other end and\n"
	      "the namespace and container that holds it. 'Which host veth is this\n"
	      "container's eth0?' is: nsctl sockets --interfaces web\n"
	      "\n"
	      "Options:\n"
	      " -l, --listening        only listening sockets (and unconnected UDP)\n"
	      "     --port PORT        only sockets whose local or peer port is PORT\n"
	      " -t, --tcp              TCP sockets (the kinds add up; default all)\n"
	      " -u, --udp              UDP sockets\n"
	      " -x, --unix             unix sockets\n"
	      " -i, --interfaces       interfaces, addresses and veth peers instead\n"
	      " -o, --output COLS      columns to show; +COLS adds to the default ones\n"
	      "     --output-all       every column\n"
	      " -H, --list-columns     describe the columns and exit\n"
	      " -J, --json             JSON output: {\"sockets\": [...]}\n"
	      " -r, --raw              raw output (space separated, escaped)\n"
	      " -n, --noheadings       no header line\n"
	      "     --root DIR         read runtime state files (container names) below DIR\n"
	      " -h, --help             this help\n"
	      "\n"
	      "Default columns: NETNS PROTO STATE LOCAL PEER PID COMM CONTAINER;\n"
	      "with --interfaces: NETNS NAME KIND STATE ADDRESSES PEER PEER_NETNS\n"
	      "PEER_CONTAINER CONTAINER (-i -H lists them all).\n"
	      "Examples:\n"
	      "  nsctl sockets -lt\n"
	      "  nsctl sockets web -J | jq -c '.sockets[] | {proto, local, pid}'\n"
	      "  nsctl sockets -i web -o NAME,ADDRESSES,PEER,PEER_NETNS\n",
	      out);
}

/* The view's columns: its defaults, all of them, or -o's list against its own names. */
static int choose_columns(struct sockets_opts *o, bool list_only)
{
	const struct column *cols = o->interfaces ? ifaces_columns : columns;
	size_t ncols = o->interfaces ? ifaces_ncolumns : NCOLS;
	const int *dflt = o->interfaces ? ifaces_default_columns : default_columns;

	if (list_only) {
		columns_print_help(cols, ncols, stdout);
		return CLI_DONE;
	}
	o->ncols = o->interfaces ? ifaces_ndefault : ARRAY_LEN(default_columns);
	memcpy(o->cols, dflt, o->ncols * sizeof(*dflt));
	o->out.json_key = o->interfaces ? "interfaces" : "sockets";
	if (o->all_columns) {
		for (size_t i = 0; i < ncols; i++)
			o->cols[i] = (int)i;
		o->ncols = ncols;
	}
	return o->columns ? columns_parse_option(CMD, cols, ncols, o->columns, o->cols, &o->ncols, ARRAY_LEN(o->cols))
			  : 0;
}

static int parse_args(int argc, char **argv, struct sockets_opts *o)
{
	enum { OPT_PORT = 256, OPT_ROOT, OPT_OUTPUT_ALL };
	static const struct option longopts[] = {
		{ "listening", no_argument, NULL, 'l' }, { "port", required_argument, NULL, OPT_PORT },
		{ "tcp", no_argument, NULL, 't' },	 { "udp", no_argument, NULL, 'u' },
		{ "unix", no_argument, NULL, 'x' },	 { "output", required_argument, NULL, 'o' },
		{ "interfaces", no_argument, NULL, 'i' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "list-columns", no_argument, NULL, 'H' }, { "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },	 { "noheadings", no_argument, NULL, 'n' },
		{ "root", required_argument, NULL, OPT_ROOT }, { "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool list_columns = false;
	int c, r = 0;

	optind = 1;
	while (!r && (c = getopt_long(argc, argv, "ltuxio:HJrnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o->listening = true; break;
		case OPT_PORT: r = cli_parse_uint(CMD, "--port", optarg, 65535, &o->port); break;
		case 't': o->protos |= 1u << INSP_SOCK_TCP; break;
		case 'u': o->protos |= 1u << INSP_SOCK_UDP; break;
		case 'x':
			o->protos |= 1u << INSP_SOCK_UNIX_STREAM | 1u << INSP_SOCK_UNIX_DGRAM |
				     1u << INSP_SOCK_UNIX_SEQPACKET;
			break;
		case 'i': o->interfaces = true; break;
		case 'o': o->columns = optarg; break;
		case OPT_OUTPUT_ALL: o->all_columns = true; break;
		case 'H': list_columns = true; break;
		case 'J': o->out.mode = OUT_JSON; break;
		case 'r': o->out.mode = OUT_RAW; break;
		case 'n': o->out.noheadings = true; break;
		case OPT_ROOT: o->state_root = optarg; break;
		case 'h': usage(stdout); return CLI_DONE;
		default: return cli_usage_error(CMD, "invalid option");
		}
	}
	if (!r && optind < argc)
		o->target = argv[optind++];
	if (!r && optind < argc)
		r = cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	if (!r && o->interfaces && (o->listening || o->port || o->protos))
		r = cli_usage_error(CMD, "--interfaces lists interfaces: -l, --port, -t, -u and -x are for sockets");
	return r ? r : choose_columns(o, list_columns);
}

static bool wanted(const struct sockets_opts *o, const struct insp_socket *s)
{
	bool listening = s->state == 10 || (s->proto == INSP_SOCK_UDP && s->state == 7);

	if (o->protos && !(o->protos & (1u << s->proto)))
		return false;
	if (o->listening && !listening)
		return false;
	if (o->port && (s->family == AF_UNIX || (s->local.port != o->port && s->peer.port != o->port)))
		return false;
	return true;
}

/* By its holder's cgroups, or else by the cgroup the socket was made in (TCP and UDP). */
static void set_container(struct sockets_run *run, struct row *row, const struct insp_socket *s,
			  struct insp_proc *holder)
{
	const struct insp_container_info *c;
	struct insp_container_ref ref;
	int r = -ENOENT;

	if (holder)
		r = proc_container(holder, &ref);
	if (r < 0 && s->cgroup_id)
		r = insp_container_of_cgroup_id(run->names, 0, s->cgroup_id, &ref);
	if (r < 0 || !(c = insp_container_cache_get(run->names, &ref)))
		return;
	row_set_container(row, COL_CONTAINER, c);
}

static void add_row(struct sockets_run *run, const struct insp_ns *ns, uint64_t id, const struct insp_socket *s)
{
	struct row *row = table_add_row(run->out);
	struct insp_proc *holder = s->pid ? insp_procs_find(run->procs, s->pid) : NULL;
	char addr[64];

	row_setf(row, COL_NETNS, "%lu", (unsigned long)ns->ino);
	row_set_json(row, COL_NETNS, json_ns(ns->ino, id));
	row_set_nsfs(row, COL_NSFS, ns);
	row_set(row, COL_PROTO, insp_sock_proto_name(s->proto));
	row_set(row, COL_STATE, insp_sock_state_name(s));
	if (s->family == AF_UNIX) {
		row_set(row, COL_LOCAL, s->path ? s->path : "*");
		if (s->peer_inode)
			row_setf(row, COL_PEER, "%llu", (unsigned long long)s->peer_inode);
		else
			row_set(row, COL_PEER, "*");
	} else {
		if (insp_sock_addr_format(&s->local, addr, sizeof(addr)) == 0)
			row_set(row, COL_LOCAL, addr);
		if (insp_sock_addr_format(&s->peer, addr, sizeof(addr)) == 0)
			row_set(row, COL_PEER, addr);
		row_setf(row, COL_UID, "%u", s->uid);
	}
	row_setf(row, COL_INODE, "%llu", (unsigned long long)s->inode);
	row_setf(row, COL_HOLDERS, "%zu", s->holders);
	if (s->pid) {
		row_setf(row, COL_PID, "%d", (int)s->pid);
		if (holder)
			row_set(row, COL_COMM, holder->comm);
	}
	if (table_has(run->out, COL_CONTAINER))
		set_container(run, row, s, holder);
}

int sockets_open_netns(const struct insp_ns *ns, uint64_t *id, struct insp_error *err)
{
	int fd = insp_ns_open(ns, err);

	if (fd >= 0)
		*id = ns->id ? ns->id : insp_ns_fd_id(fd);
	return fd;
}

bool sockets_netns_listed(const struct insp_ns *ns, ino_t only)
{
	return ns->type == INSP_NS_NET && (ns->proc || ns->nnsfs) && (!only || ns->ino == only);
}

static unsigned read_flags(const struct sockets_opts *o)
{
	unsigned f = o->listening ? INSP_SOCKETS_LISTENING : 0;

	if (o->protos & (1u << INSP_SOCK_TCP))
		f |= INSP_SOCKETS_TCP;
	if (o->protos & (1u << INSP_SOCK_UDP))
		f |= INSP_SOCKETS_UDP;
	if (o->protos & (1u << INSP_SOCK_UNIX_STREAM))
		f |= INSP_SOCKETS_UNIX;
	return f;
}

static void list_namespace(struct sockets_run *run, const struct insp_ns *ns)
{
	struct insp_sockets socks;
	struct insp_error err = { 0 };
	uint64_t id;
	int fd = sockets_open_netns(ns, &id, &err);

	/* Its processes exited or its mount went since the scan: no failure. */
	if (fd == -ENOENT || fd == -ESRCH)
		return;
	run->namespaces++;
	if (fd < 0 || insp_sockets_read(fd, read_flags(run->o), &socks, &err) < 0) {
		cli_error(CMD, "net namespace %lu: %s", (unsigned long)ns->ino, err.msg);
		run->failed++;
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	insp_sockets_owners(&socks, run->procs, ns->ino);
	for (size_t i = 0; i < socks.n; i++)
		if (wanted(run->o, &socks.v[i]))
			add_row(run, ns, id, &socks.v[i]);
	insp_sockets_free(&socks);
}

/* Each network namespace once: through its member with the lowest pid, or the mount that keeps it. */
static int list_all(struct sockets_run *run, ino_t only, struct insp_error *err)
{
	struct insp_ns_table *nst;

	if (insp_ns_table_build(&nst, run->procs, INSP_NS_WANT_MOUNTED, err) < 0)
		return -1;
	for (size_t i = 0; i < insp_ns_table_count(nst); i++) {
		const struct insp_ns *ns = insp_ns_table_at(nst, i);

		if (sockets_netns_listed(ns, only))
			list_namespace(run, ns);
	}
	insp_ns_table_free(nst);
	return 0;
}

/* The network namespace a target is in (1 or 2 after printing an error). */
static int sockets_target_netns(const struct sockets_opts *o, ino_t *ino)
{
	struct insp_resolve_opts ro = { .state_root = o->state_root };
	struct insp_target t;
	struct insp_error err = { 0 };
	char path[40];
	struct stat st;
	int r;

	if (insp_target_resolve(o->target, &ro, &t, &err) < 0)
		return cli_insp_error(CMD, &err);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)t.pid);
	r = stat(path, &st) < 0 || insp_target_alive(&t) < 0 ? -1 : 0;
	if (r < 0)
		cli_error(CMD, "%s: exited", o->target);
	*ino = st.st_ino;
	insp_target_release(&t);
	return r < 0 ? EXIT_FAIL : 0;
}

int sockets_scan(const struct sockets_opts *o, ino_t *only, struct insp_procs **procs,
		 struct insp_container_cache **names)
{
	struct insp_scan_opts so = { .backend = INSP_BACKEND_AUTO, .fields = INSP_PROC_NS | INSP_PROC_STAT,
				     .ns_slots = 1u << INSP_NS_NET };
	struct insp_error err = { 0 };
	int r;

	*only = 0;
	if (o->target && (r = sockets_target_netns(o, only)))
		return r;
	if (insp_procs_scan(procs, &so, &err) < 0)
		return cli_insp_error(CMD, &err);
	if (insp_container_cache_new(names, o->state_root, &err) < 0) {
		insp_procs_free(*procs);
		return cli_insp_error(CMD, &err);
	}
	return EXIT_OK;
}

static int sockets_list(const struct sockets_opts *o)
{
	struct sockets_run run = { .o = o };
	struct insp_error err = { 0 };
	ino_t only;
	int r = sockets_scan(o, &only, &run.procs, &run.names);

	if (r != EXIT_OK)
		return r;
	run.out = table_new(columns, o->cols, o->ncols);
	r = EXIT_OK;
	if (list_all(&run, only, &err) < 0) {
		r = cli_insp_error(CMD, &err);
	} else if (table_print(run.out, stdout, &o->out) < 0 || fflush(stdout) != 0) {
		cli_error(CMD, "writing output: %s", strerror(errno));
		r = EXIT_FAIL;
	}
	if (run.failed)
		cli_error(CMD, "%zu of %zu network namespaces could not be read", run.failed, run.namespaces);
	table_free(run.out);
	insp_container_cache_free(run.names);
	insp_procs_free(run.procs);
	return r == EXIT_OK && run.failed == run.namespaces && run.namespaces ? EXIT_FAIL : r;
}

static int sockets_main(int argc, char **argv)
{
	struct sockets_opts o = { 0 };
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	return o.interfaces ? sockets_ifaces_list(&o) : sockets_list(&o);
}

const struct command cmd_sockets = {
	.name = "sockets",
	.summary = "TCP, UDP and unix sockets of every network namespace, with their processes",
	.run = sockets_main,
	.usage = usage,
};
