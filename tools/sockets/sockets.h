/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsctl sockets: the socket table and the interface table (--interfaces) share options. */
#ifndef NSCTL_SOCKETS_H
#define NSCTL_SOCKETS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "output.h"

struct sockets_opts {
	int cols[64];
	size_t ncols;
	const char *columns;		/* -o, parsed once the view is known */
	bool all_columns;
	struct out_opts out;
	unsigned protos;		/* bit per family of enum insp_sock_proto; 0 = all */
	unsigned long port;		/* 0 = any */
	bool listening, interfaces;
	const char *target;
	const char *state_root;
};

struct insp_ns;
struct insp_error;
/* Whether a view lists this namespace: a network one with a way in, TARGET's when only is set. */
bool sockets_netns_listed(const struct insp_ns *ns, ino_t only);
/* ns opened and checked to be the one the scan saw, with its 64-bit id; -ENOENT or -ESRCH once gone. */
int sockets_open_netns(const struct insp_ns *ns, uint64_t *id, struct insp_error *err);

struct insp_procs;
struct insp_container_cache;
/* What both views start from: the target's namespace (0: all), every process's, container names. */
int sockets_scan(const struct sockets_opts *o, ino_t *only, struct insp_procs **procs,
		 struct insp_container_cache **names);

/* The interface table's columns, for -o and -H. */
extern const struct column ifaces_columns[];
extern const size_t ifaces_ncolumns;
extern const int ifaces_default_columns[];
extern const size_t ifaces_ndefault;

int sockets_ifaces_list(const struct sockets_opts *o);

#endif
