// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seccomp evaluator against programs libseccomp compiles (its own
 * view of the rules is the oracle) and hand-written ones for what
 * libseccomp never emits: the kernel's combining rule, unknown actions,
 * malformed programs, and a path explosion that must stay bounded.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "seccomp_internal.h"
#include "../lib/tap.h"

/* A check with the rule it stands for, printed when it fails. */
#define OK(cond, what) do { if (!(cond)) printf("#   %s\n", what); CHECK(cond); } while (0)

struct prog {
	struct sock_filter *insns;
	unsigned len;
};

static struct prog compile(scmp_filter_ctx ctx)
{
	struct prog p = { 0 };
	int fd = memfd_create("bpf", 0);
	off_t size;

	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || (size = lseek(fd, 0, SEEK_END)) <= 0)
		return p;
	p.insns = malloc((size_t)size);
	if (p.insns && pread(fd, p.insns, (size_t)size, 0) == size)
		p.len = (unsigned)(size / sizeof(struct sock_filter));
	close(fd);
	seccomp_release(ctx);
	return p;
}

static struct insp_seccomp_verdict eval(const struct prog *p, uint32_t arch, uint32_t nr)
{
	struct insp_seccomp_verdict v = { 0 };

	if (seccomp_prog_eval(p->insns, p->len, arch, nr, &v) < 0)
		v.action = 0xff;
	return v;
}

TEST(libseccomp_rules)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	struct insp_seccomp_verdict v;
	struct prog p;

	seccomp_arch_add(ctx, SCMP_ARCH_X86);
	seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0);
	seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ptrace), 0);
	seccomp_rule_add(ctx, SCMP_ACT_TRACE(7), SCMP_SYS(uname), 0);
	seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
			       &(struct scmp_arg_cmp){ .arg = 0, .op = SCMP_CMP_LE, .datum_a = 2, .datum_b = 0 });
	p = compile(ctx);
	OK(p.len > 0, "libseccomp exports a program");
	v = eval(&p, AUDIT_ARCH_X86_64, 0);
	OK(v.action == INSP_SECCOMP_ALLOW && !v.depends_on_args, "x86_64 read: allow");
	v = eval(&p, AUDIT_ARCH_I386, 3);
	OK(v.action == INSP_SECCOMP_ALLOW, "i386 read (3): allow, both ABIs in one program");
	v = eval(&p, AUDIT_ARCH_X86_64, 101);
	OK(v.action == INSP_SECCOMP_KILL_PROCESS, "ptrace: kill_process");
	v = eval(&p, AUDIT_ARCH_X86_64, 63);
	OK(v.action == INSP_SECCOMP_TRACE && v.data == 7, "uname: trace(7)");
	v = eval(&p, AUDIT_ARCH_X86_64, 1);
	OK(v.depends_on_args && v.action == INSP_SECCOMP_ERRNO && v.data == EPERM &&
	   v.possible == (1u << INSP_SECCOMP_ERRNO | 1u << INSP_SECCOMP_ALLOW),
	   "write(fd <= 2): depends, worst errno(EPERM), else allow");
	v = eval(&p, AUDIT_ARCH_X86_64, 4000);
	OK(v.action == INSP_SECCOMP_ERRNO && v.data == EPERM && !v.depends_on_args, "an unknown number: the default");
	v = eval(&p, 0x12345678, 0);
	OK(v.action == INSP_SECCOMP_KILL_THREAD, "another architecture: libseccomp's bad-arch kill");
	free(p.insns);
}

#define RET(k) { BPF_RET | BPF_K, 0, 0, (k) }

TEST(kernel_combining_rule)
{
	struct insp_seccomp_verdict acc, v;

	/* The accumulator holds newer filters: an equal action keeps the newer's errno. */
	seccomp_verdict_allow(&acc);
	{
		struct sock_filter newer[] = { RET(SECCOMP_RET_ERRNO | 38) }, older[] = { RET(SECCOMP_RET_ERRNO | 1) };

		seccomp_prog_eval(newer, 1, AUDIT_ARCH_X86_64, 0, &v);
		seccomp_verdict_combine(&acc, &v);
		seccomp_prog_eval(older, 1, AUDIT_ARCH_X86_64, 0, &v);
		seccomp_verdict_combine(&acc, &v);
		OK(acc.action == INSP_SECCOMP_ERRNO && acc.data == 38, "equal actions: the newest filter's errno stays");
	}
	{
		struct sock_filter kill[] = { RET(SECCOMP_RET_KILL_PROCESS) }, allow[] = { RET(SECCOMP_RET_ALLOW) };

		seccomp_verdict_allow(&acc);
		seccomp_prog_eval(allow, 1, AUDIT_ARCH_X86_64, 0, &v);
		seccomp_verdict_combine(&acc, &v);
		seccomp_prog_eval(kill, 1, AUDIT_ARCH_X86_64, 0, &v);
		seccomp_verdict_combine(&acc, &v);
		OK(acc.action == INSP_SECCOMP_KILL_PROCESS, "kill_process (0x80000000, negative) wins over all");
	}
	{
		/* An older filter that kills whatever the arguments hides a newer filter's argument test. */
		struct sock_filter dep[] = {
			{ BPF_LD | BPF_W | BPF_ABS, 0, 0, 16 },
			{ BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 5 },
			RET(SECCOMP_RET_ALLOW),
			RET(SECCOMP_RET_ERRNO | 1),
		}, trap[] = { RET(SECCOMP_RET_TRAP) };

		seccomp_verdict_allow(&acc);
		seccomp_prog_eval(dep, 4, AUDIT_ARCH_X86_64, 0, &v);
		OK(v.depends_on_args, "an argument test alone depends on arguments");
		seccomp_verdict_combine(&acc, &v);
		seccomp_prog_eval(trap, 1, AUDIT_ARCH_X86_64, 0, &v);
		seccomp_verdict_combine(&acc, &v);
		OK(acc.action == INSP_SECCOMP_TRAP && !acc.depends_on_args, "...but not under a filter that traps it anyway");
	}
}

TEST(malformed_programs)
{
	struct insp_seccomp_verdict v;
	struct sock_filter past_end[] = { { BPF_JMP | BPF_JA, 0, 0, 5 }, RET(SECCOMP_RET_ALLOW) };
	struct sock_filter no_ret[] = { { BPF_LD | BPF_W | BPF_ABS, 0, 0, 0 } };
	struct sock_filter odd_load[] = { { BPF_LD | BPF_W | BPF_ABS, 0, 0, 2 }, RET(SECCOMP_RET_ALLOW) };
	struct sock_filter big_load[] = { { BPF_LD | BPF_W | BPF_ABS, 0, 0, 64 }, RET(SECCOMP_RET_ALLOW) };
	struct sock_filter div0[] = { { BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0 }, RET(SECCOMP_RET_ALLOW) };
	struct sock_filter ret_a[] = { { BPF_LD | BPF_W | BPF_ABS, 0, 0, 16 }, { BPF_RET | BPF_A, 0, 0, 0 } };

	OK(seccomp_prog_eval(past_end, 2, AUDIT_ARCH_X86_64, 0, &v) == -EINVAL, "a jump past the end: rejected");
	OK(seccomp_prog_eval(no_ret, 1, AUDIT_ARCH_X86_64, 0, &v) == -EINVAL, "no final return: rejected");
	OK(seccomp_prog_eval(odd_load, 2, AUDIT_ARCH_X86_64, 0, &v) == -EINVAL, "an unaligned load: rejected");
	OK(seccomp_prog_eval(big_load, 2, AUDIT_ARCH_X86_64, 0, &v) == -EINVAL, "a load past seccomp_data: rejected");
	OK(seccomp_prog_eval(div0, 2, AUDIT_ARCH_X86_64, 0, &v) == -EINVAL, "a constant division by zero: rejected");
	OK(seccomp_prog_eval(NULL, 0, AUDIT_ARCH_X86_64, 0, &v) == -EINVAL, "an empty program: rejected");
	OK(seccomp_prog_eval(ret_a, 2, AUDIT_ARCH_X86_64, 0, &v) == 0 && v.action == INSP_SECCOMP_KILL_PROCESS,
	   "returning an argument: assumed the worst");
}

/*
 * 2^40 paths: forty tests of argument bits whose both sides meet again,
 * then a last test choosing allow or errno. The step budget ends it.
 */
TEST(path_explosion_is_bounded)
{
	enum { N = 40 };
	struct sock_filter p[3 * N + 4];
	struct insp_seccomp_verdict v;

	for (int i = 0; i < N; i++) {
		p[3 * i] = (struct sock_filter){ BPF_LD | BPF_W | BPF_ABS, 0, 0, 16 + 4 * (uint32_t)(i % 12) };
		p[3 * i + 1] = (struct sock_filter){ BPF_JMP | BPF_JSET | BPF_K, 0, 1, 1u << (i % 32) };
		p[3 * i + 2] = (struct sock_filter){ BPF_LD | BPF_IMM, 0, 0, 0 };
	}
	p[3 * N] = (struct sock_filter){ BPF_LD | BPF_W | BPF_ABS, 0, 0, 16 };
	p[3 * N + 1] = (struct sock_filter){ BPF_JMP | BPF_JSET | BPF_K, 0, 1, 1 };
	p[3 * N + 2] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	p[3 * N + 3] = (struct sock_filter)RET(SECCOMP_RET_ERRNO | 1);
	OK(seccomp_prog_eval(p, 3 * N + 4, AUDIT_ARCH_X86_64, 0, &v) == 0, "a program of 2^40 paths evaluates");
	OK(v.depends_on_args && v.action == INSP_SECCOMP_ERRNO, "...as depending on arguments, worst errno");
}

TAP_MAIN("unit_seccomp", TEST_ENTRY(libseccomp_rules), TEST_ENTRY(kernel_combining_rule),
	 TEST_ENTRY(malformed_programs), TEST_ENTRY(path_explosion_is_bounded))
