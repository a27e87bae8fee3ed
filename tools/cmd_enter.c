// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl enter: run a shell or a command in a process's or container's world. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <inspect/join.h>

#include "cli.h"
#include "supervise.h"
#include "text.h"

#define CMD "enter"

static void usage(FILE *out)
{
	fputs("Usage: nsctl enter [options] <pid|container> [--] [command [args...]]\n"
	      "\n"
	      "Run a command, or the target's login shell, where the target runs: in\n"
	      "its namespaces, its cgroups, with its uid, gid, groups and capabilities,\n"
	      "its root and working directory. The target is pinned by a pidfd: if it\n"
	      "exits, nothing is entered.\n"
	      "\n"
	      "Namespaces (default: every one that differs from ours):\n"
	      "  -a, --all              every namespace of the target (the default)\n"
	      "  -m, --mount[=FILE]     only the listed ones; with =FILE, the namespace\n"
	      "  -u, --uts[=FILE]       bound to FILE (e.g. /run/netns/blue) instead of\n"
	      "  -i, --ipc[=FILE]       the target's\n"
	      "  -n, --net[=FILE]\n"
	      "  -p, --pid[=FILE]\n"
	      "  -C, --cgroup[=FILE]    the cgroup namespace\n"
	      "  -U, --user[=FILE]      joined only when it differs from ours\n"
	      "  -T, --time[=FILE]\n"
	      "      --host-root        every namespace but the mount one; our own\n"
	      "                         filesystem with a /proc of the target's pid\n"
	      "                         namespace, so host tools (tcpdump, strace, ss)\n"
	      "                         see its processes and network; its files are\n"
	      "                         at /proc/1/root\n"
	      "\n"
	      "What else is taken from the target:\n"
	      "      --no-cgroup        stay in our cgroups (default: join the target's,\n"
	      "                         so the work is accounted to it and limited)\n"
	      "  -S, --setuid UID       run as UID (as seen inside) instead of its uid\n"
	      "  -G, --setgid GID       run as GID, with no supplementary groups\n"
	      "      --preserve-credentials  keep our uid, gid and groups\n"
	      "      --keep-caps        keep our capabilities (default: its sets)\n"
	      "  -e, --env              its environment (default: only TERM, PATH, HOME)\n"
	      "  -w, --wd DIR           start in DIR (default: its working directory)\n"
	      "      --root DIR         read runtime state files below DIR\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Options come before the target; everything after it is the command.\n"
	      "Exit status: the command's, 128+N if signal N killed it, 126/127 if it\n"
	      "cannot be run; 1 if entering failed, 2 on a usage error.\n"
	      "See nsctl-enter(8).\n",
	      out);
}

#if defined(__SANITIZE_ADDRESS__)
/*
 * LeakSanitizer stops the world at exit through a tracer it clones; once we
 * are in the target's pid namespace, that tracer cannot see us and waits
 * forever. Sanitizer builds only.
 */
static bool entered;
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return entered;
}
#define MARK_ENTERED() (entered = true)
#else
#define MARK_ENTERED() ((void)0)
#endif

struct enter_args {
	struct insp_join_opts join;
	const char *target;
	const char *state_root;
	char **command;
};

static const char ns_letters[INSP_NS_NTYPES] = {
	[INSP_NS_MNT] = 'm', [INSP_NS_UTS] = 'u', [INSP_NS_IPC] = 'i', [INSP_NS_NET] = 'n',
	[INSP_NS_PID] = 'p', [INSP_NS_CGROUP] = 'C', [INSP_NS_USER] = 'U', [INSP_NS_TIME] = 'T',
};

static int ns_of_letter(int c)
{
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (ns_letters[t] == c)
			return t;
	return -1;
}

static int parse_id(const char *opt, const char *s, unsigned *out)
{
	unsigned long v;

	if (cli_parse_uint(CMD, opt, s, INSP_JOIN_ID_TARGET - 1, &v))
		return EXIT_USAGE;
	*out = (unsigned)v;
	return 0;
}

static int check_args(struct enter_args *a, bool preserve)
{
	if (preserve && (a->join.uid != INSP_JOIN_ID_TARGET || a->join.gid != INSP_JOIN_ID_TARGET))
		return cli_usage_error(CMD, "--preserve-credentials and -S/-G contradict each other");
	if ((a->join.flags & INSP_JOIN_HOST_ROOT) && (a->join.ns & INSP_JOIN_NS(INSP_NS_MNT)))
		return cli_usage_error(CMD, "--host-root keeps our mount namespace; drop -m");
	if (!a->target)
		return cli_usage_error(CMD, "a pid or container is required");
	return 0;
}

static int parse_args(int argc, char **argv, struct enter_args *a)
{
	enum { OPT_NO_CGROUP = 256, OPT_PRESERVE, OPT_KEEP_CAPS, OPT_HOST_ROOT, OPT_ROOT };
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "mount", optional_argument, NULL, 'm' },
		{ "uts", optional_argument, NULL, 'u' },
		{ "ipc", optional_argument, NULL, 'i' },
		{ "net", optional_argument, NULL, 'n' },
		{ "pid", optional_argument, NULL, 'p' },
		{ "cgroup", optional_argument, NULL, 'C' },
		{ "user", optional_argument, NULL, 'U' },
		{ "time", optional_argument, NULL, 'T' },
		{ "no-cgroup", no_argument, NULL, OPT_NO_CGROUP },
		{ "setuid", required_argument, NULL, 'S' },
		{ "setgid", required_argument, NULL, 'G' },
		{ "preserve-credentials", no_argument, NULL, OPT_PRESERVE },
		{ "keep-caps", no_argument, NULL, OPT_KEEP_CAPS },
		{ "env", no_argument, NULL, 'e' },
		{ "wd", required_argument, NULL, 'w' },
		{ "host-root", no_argument, NULL, OPT_HOST_ROOT },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool preserve = false;
	int c, t;

	a->join.flags = INSP_JOIN_CGROUP | INSP_JOIN_CREDS | INSP_JOIN_CAPS | INSP_JOIN_ROOT |
			INSP_JOIN_CWD;
	a->join.uid = a->join.gid = INSP_JOIN_ID_TARGET;
	/* '+': the first operand is the target, and what follows belongs to the command. */
	while ((c = getopt_long(argc, argv, "+am::u::i::n::p::C::U::T::S:G:ew:h", longopts, NULL)) !=
	       -1) {
		if ((t = ns_of_letter(c)) >= 0) {
			a->join.ns |= INSP_JOIN_NS(t);
			/* "-n=FILE" as well as "--net=FILE" and "-nFILE". */
			if (optarg)
				a->join.ns_file[t] = optarg[0] == '=' ? optarg + 1 : optarg;
			continue;
		}
		switch (c) {
		case 'a':
			a->join.ns |= INSP_JOIN_NS_ALL;
			break;
		case OPT_NO_CGROUP:
			a->join.flags &= ~(unsigned)INSP_JOIN_CGROUP;
			break;
		case 'S':
			if (parse_id("--setuid", optarg, &a->join.uid))
				return EXIT_USAGE;
			break;
		case 'G':
			if (parse_id("--setgid", optarg, &a->join.gid))
				return EXIT_USAGE;
			break;
		case OPT_PRESERVE:
			preserve = true;
			a->join.flags &= ~(unsigned)INSP_JOIN_CREDS;
			break;
		case OPT_KEEP_CAPS:
			a->join.flags &= ~(unsigned)INSP_JOIN_CAPS;
			break;
		case 'e':
			a->join.flags |= INSP_JOIN_ENV;
			break;
		case 'w':
			a->join.workdir = optarg;
			break;
		case OPT_HOST_ROOT:
			a->join.flags |= INSP_JOIN_HOST_ROOT;
			break;
		case OPT_ROOT:
			a->state_root = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_DONE;
		default:
			return cli_usage_error(CMD, "unknown option");
		}
	}
	/* -a with files: every namespace, some of them from files. */
	if (a->join.ns == INSP_JOIN_NS_ALL)
		a->join.ns = 0;
	if (optind < argc)
		a->target = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	a->command = optind < argc ? argv + optind : NULL;
	return check_args(a, preserve);
}

/* Unless -e: nothing of our environment but TERM, so no host secret leaks in. */
static char **clean_environ(const struct insp_join *j)
{
	static char *env[4];
	const char *term = getenv("TERM"), *home = insp_join_home(j);
	size_t n = 0;

	if (term && asprintf(&env[n], "TERM=%s", term) >= 0)
		n++;
	env[n++] = (char *)"PATH=" INSP_DEFAULT_PATH;
	if (asprintf(&env[n], "HOME=%s", home ? home : "/") >= 0)
		n++;
	env[n] = NULL;
	return env;
}

struct child_ctx {
	const struct enter_args *args;
	struct insp_join *join;
	const char *label;
	sigset_t mask;
};

static int exec_failed(const char *label, const char *what, int code)
{
	cli_error(label, "exec %s: %s", what, strerror(code));
	_exit(code == ENOENT ? 127 : 126);
}

/* Runs in the child, on its own stack, in our memory until execve. */
static int run_child(void *arg)
{
	const struct child_ctx *c = arg;
	struct insp_error err = { 0 };
	char **envp = insp_join_environ(c->join);
	char *shell[] = { (char *)insp_join_shell(c->join), NULL };
	char *sh[] = { (char *)"/bin/sh", NULL };

	if (insp_join_finish(c->join, &err) < 0) {
		cli_insp_error(c->label, &err);
		_exit(EXIT_FAIL);
	}
	if (!envp)
		envp = clean_environ(c->join);
	supervise_cloexec_from3();
	sigprocmask(SIG_SETMASK, &c->mask, NULL);
	if (c->args->command)
		exec_failed(c->label, c->args->command[0], insp_exec_in_path(c->args->command, envp));
	if (shell[0]) {
		execve(shell[0], shell, envp);
		if (errno != ENOENT)
			exec_failed(c->label, shell[0], errno);
	}
	execve(sh[0], sh, envp);
	return exec_failed(c->label, sh[0], errno);
}

static int enter(const struct enter_args *a, const struct insp_target *t, const char *label)
{
	struct child_ctx c = { .args = a, .label = label };
	struct insp_error err = { 0 };
	sigset_t forwarded;
	pid_t child;
	int r;

	r = insp_join_prepare(&c.join, t, &a->join, &err);
	if (r < 0)
		return cli_insp_error(label, &err);
	if (!a->command && insp_join_user_warning(c.join))
		cli_error(label, "warning: %s; starting /bin/sh", insp_join_user_warning(c.join));
	MARK_ENTERED();
	if (insp_join_namespaces(c.join, &err) < 0) {
		insp_join_free(c.join);
		return cli_insp_error(label, &err);
	}
	if (supervise_block(&forwarded, &c.mask) < 0 || (child = insp_spawn(run_child, &c)) < 0) {
		cli_error(label, "clone: %s", strerror(errno));
		insp_join_free(c.join);
		return EXIT_FAIL;
	}
	insp_join_free(c.join);
	return supervise_wait(child, &forwarded);
}

static int enter_main(int argc, char **argv)
{
	struct enter_args a = { 0 };
	struct insp_target t;
	char label[128];
	int r;

	if ((r = parse_args(argc, argv, &a)) != 0)
		return r == CLI_DONE ? EXIT_OK : r;
	/*
	 * Settle the locale while we still see the host's files: an error
	 * printed once inside must not load locale data from the target's root.
	 */
	text_utf8();
	r = cli_resolve_target(CMD, a.target, a.state_root, &t);
	if (r != EXIT_OK)
		return r;
	if (t.by_container)
		snprintf(label, sizeof(label), CMD " %s (pid %d)", a.target, (int)t.pid);
	else
		snprintf(label, sizeof(label), CMD " %d", (int)t.pid);
	r = enter(&a, &t, label);
	insp_target_release(&t);
	return r;
}

const struct command cmd_enter = {
	.name = "enter",
	.summary = "run a shell or command in a process's or container's namespaces",
	.run = enter_main,
	.usage = usage,
};
