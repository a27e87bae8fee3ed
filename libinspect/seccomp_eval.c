// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Classic BPF of seccomp run over every path: the syscall number and
 * architecture are known, the arguments and instruction pointer are not,
 * so a jump on them takes both branches. Seccomp programs only jump
 * forward, so every path ends; a step budget bounds hostile ones.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "seccomp_internal.h"
#include "util.h"

#define DATA_SIZE 64			/* sizeof(struct seccomp_data) */
#define OFF_ARCH 4
#define STEP_BUDGET (1u << 18)

struct regs {
	uint32_t pc;
	uint32_t a, x;
	uint32_t mem[BPF_MEMWORDS];
	uint16_t mem_known;
	bool a_known, x_known;
};

static int action_of(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_THREAD: return INSP_SECCOMP_KILL_THREAD;
	case SECCOMP_RET_TRAP: return INSP_SECCOMP_TRAP;
	case SECCOMP_RET_ERRNO: return INSP_SECCOMP_ERRNO;
	case SECCOMP_RET_USER_NOTIF: return INSP_SECCOMP_USER_NOTIF;
	case SECCOMP_RET_TRACE: return INSP_SECCOMP_TRACE;
	case SECCOMP_RET_LOG: return INSP_SECCOMP_LOG;
	case SECCOMP_RET_ALLOW: return INSP_SECCOMP_ALLOW;
	default: return INSP_SECCOMP_KILL_PROCESS;	/* as the kernel treats unknown actions */
	}
}

/* The kernel compares actions as signed: KILL_PROCESS (0x80000000) wins over all. */
static bool precedes(uint32_t a, uint32_t b)
{
	return (int32_t)(a & SECCOMP_RET_ACTION_FULL) < (int32_t)(b & SECCOMP_RET_ACTION_FULL);
}

static void verdict_set(struct insp_seccomp_verdict *v, uint32_t ret)
{
	v->ret = ret;
	v->action = (uint8_t)action_of(ret);
	v->data = (uint16_t)(ret & SECCOMP_RET_DATA);
}

void seccomp_verdict_allow(struct insp_seccomp_verdict *v)
{
	*v = (struct insp_seccomp_verdict){ .possible = 1u << INSP_SECCOMP_ALLOW };
	verdict_set(v, SECCOMP_RET_ALLOW);
}

static int highest_action(uint8_t possible)
{
	int a = INSP_SECCOMP_ALLOW;

	while (a > 0 && !(possible & (1u << a)))
		a--;
	return a;
}

/* Take the lower of each filter's outcome: what stays possible is at most the smaller best case. */
void seccomp_verdict_combine(struct insp_seccomp_verdict *acc, const struct insp_seccomp_verdict *v)
{
	int best = highest_action(acc->possible);
	int vbest = highest_action(v->possible);
	uint8_t keep = (uint8_t)((2u << (vbest < best ? vbest : best)) - 1);
	bool acc_depends = acc->depends_on_args;

	acc->possible = (uint8_t)((acc->possible | v->possible) & keep);
	/* acc holds newer filters: on equal actions the newer one's data stays. */
	if (precedes(v->ret, acc->ret)) {
		verdict_set(acc, v->ret);
		acc_depends = v->depends_on_args;
	}
	/* An unknown action ranks by its raw value in the kernel, not as the kill it maps to. */
	acc->possible |= (uint8_t)(1u << acc->action);
	acc->depends_on_args = __builtin_popcount(acc->possible) > 1 || acc_depends;
}

static bool jump_in_range(uint32_t pc, uint32_t off, unsigned len)
{
	return (uint64_t)pc + 1 + off < len;
}

static bool load_ok(const struct sock_filter *f)
{
	return f->k < DATA_SIZE && (f->k & 3) == 0;
}

/* The subset of classic BPF the kernel's seccomp_check_filter admits. */
int seccomp_prog_check(const struct sock_filter *insns, unsigned len)
{
	if (!insns || len == 0 || len > BPF_MAXINSNS)
		return -EINVAL;
	for (uint32_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insns[pc];

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (!load_ok(f))
				return -EINVAL;
			break;
		case BPF_LD | BPF_W | BPF_LEN: case BPF_LDX | BPF_W | BPF_LEN:
		case BPF_LD | BPF_IMM: case BPF_LDX | BPF_IMM:
		case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
		case BPF_RET | BPF_K: case BPF_RET | BPF_A:
		case BPF_ALU | BPF_NEG:
			break;
		case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM: case BPF_ST: case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			if (!jump_in_range(pc, f->k, len))
				return -EINVAL;
			break;
		default:
			switch (BPF_CLASS(f->code)) {
			case BPF_ALU:
				if (BPF_SRC(f->code) == BPF_K && (BPF_OP(f->code) == BPF_DIV || BPF_OP(f->code) == BPF_MOD) && f->k == 0)
					return -EINVAL;
				if ((BPF_OP(f->code) > BPF_XOR && BPF_OP(f->code) != BPF_MOD) || BPF_OP(f->code) == BPF_NEG)
					return -EINVAL;
				break;
			case BPF_JMP:
				if (BPF_OP(f->code) != BPF_JEQ && BPF_OP(f->code) != BPF_JGT &&
				    BPF_OP(f->code) != BPF_JGE && BPF_OP(f->code) != BPF_JSET)
					return -EINVAL;
				if (!jump_in_range(pc, f->jt, len) || !jump_in_range(pc, f->jf, len))
					return -EINVAL;
				break;
			default:
				return -EINVAL;
			}
		}
	}
	return BPF_CLASS(insns[len - 1].code) == BPF_RET ? 0 : -EINVAL;
}

static bool alu(uint32_t op, uint32_t *a, uint32_t b)
{
	switch (op) {
	case BPF_ADD: *a += b; return true;
	case BPF_SUB: *a -= b; return true;
	case BPF_MUL: *a *= b; return true;
	case BPF_DIV: if (!b) return false; *a /= b; return true;
	case BPF_MOD: if (!b) return false; *a %= b; return true;
	case BPF_OR: *a |= b; return true;
	case BPF_AND: *a &= b; return true;
	case BPF_XOR: *a ^= b; return true;
	case BPF_LSH: *a = b >= 32 ? 0 : *a << b; return true;
	case BPF_RSH: *a = b >= 32 ? 0 : *a >> b; return true;
	}
	return false;
}

static bool cond(uint32_t op, uint32_t a, uint32_t b)
{
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	default: return (a & b) != 0;	/* BPF_JSET */
	}
}

struct walk {
	const struct sock_filter *insns;
	unsigned len;
	uint32_t arch, nr;
	struct regs *stack;	/* the other side of each open fork */
	size_t depth, cap;
	bool heap;
	uint32_t steps;
	bool any;
	uint32_t worst;
	uint8_t possible;
	uint32_t first_ret;
	bool rets_differ;
};

static void path_end(struct walk *w, uint32_t ret)
{
	if (!w->any || precedes(ret, w->worst))
		w->worst = ret;
	if (w->any && ret != w->first_ret)
		w->rets_differ = true;
	if (!w->any)
		w->first_ret = ret;
	w->any = true;
	w->possible |= (uint8_t)(1u << action_of(ret));
}

/* Most syscalls never fork: the stack starts small, on the caller's frame. */
static int push(struct walk *w, const struct regs *r, uint32_t skip)
{
	if (w->depth == w->cap) {
		size_t cap = w->cap * 2;
		struct regs *v = w->heap ? realloc(w->stack, cap * sizeof(*v)) : malloc(cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		if (!w->heap)
			memcpy(v, w->stack, w->depth * sizeof(*v));
		w->stack = v;
		w->cap = cap;
		w->heap = true;
	}
	w->stack[w->depth] = *r;
	w->stack[w->depth++].pc += skip;
	return 0;
}

/* Run one path to its end, pushing the other side of every undecidable jump. */
static void run_path(struct walk *w, struct regs r)
{
	while (r.pc < w->len && ++w->steps < STEP_BUDGET) {
		const struct sock_filter *f = &w->insns[r.pc++];
		uint32_t op = BPF_OP(f->code);

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			r.a_known = f->k == 0 || f->k == OFF_ARCH;
			r.a = f->k == 0 ? w->nr : w->arch;
			continue;
		case BPF_LD | BPF_W | BPF_LEN: r.a = DATA_SIZE; r.a_known = true; continue;
		case BPF_LDX | BPF_W | BPF_LEN: r.x = DATA_SIZE; r.x_known = true; continue;
		case BPF_LD | BPF_IMM: r.a = f->k; r.a_known = true; continue;
		case BPF_LDX | BPF_IMM: r.x = f->k; r.x_known = true; continue;
		case BPF_LD | BPF_MEM: r.a = r.mem[f->k]; r.a_known = r.mem_known >> f->k & 1; continue;
		case BPF_LDX | BPF_MEM: r.x = r.mem[f->k]; r.x_known = r.mem_known >> f->k & 1; continue;
		case BPF_ST:
			r.mem[f->k] = r.a;
			r.mem_known = (uint16_t)((r.mem_known & ~(1u << f->k)) | (unsigned)r.a_known << f->k);
			continue;
		case BPF_STX:
			r.mem[f->k] = r.x;
			r.mem_known = (uint16_t)((r.mem_known & ~(1u << f->k)) | (unsigned)r.x_known << f->k);
			continue;
		case BPF_MISC | BPF_TAX: r.x = r.a; r.x_known = r.a_known; continue;
		case BPF_MISC | BPF_TXA: r.a = r.x; r.a_known = r.x_known; continue;
		case BPF_ALU | BPF_NEG: r.a = -r.a; continue;
		case BPF_RET | BPF_K: path_end(w, f->k); return;
		case BPF_RET | BPF_A:
			/* A return value computed from the arguments: assume the worst. */
			path_end(w, r.a_known ? r.a : SECCOMP_RET_KILL_PROCESS);
			return;
		case BPF_JMP | BPF_JA: r.pc += f->k; continue;
		}
		if (BPF_CLASS(f->code) == BPF_ALU) {
			bool known = r.a_known && (BPF_SRC(f->code) == BPF_K || r.x_known);

			if (known && !alu(op, &r.a, BPF_SRC(f->code) == BPF_K ? f->k : r.x))
				break;	/* division by zero: the kernel returns 0, KILL_THREAD */
			r.a_known = known || (op == BPF_AND && BPF_SRC(f->code) == BPF_K && f->k == 0);
			if (!known && r.a_known)
				r.a = 0;
			continue;
		}
		/* A conditional jump. */
		bool src_known = BPF_SRC(f->code) == BPF_K || r.x_known;
		uint32_t b = BPF_SRC(f->code) == BPF_K ? f->k : r.x;

		if (r.a_known && src_known) {
			r.pc += cond(op, r.a, b) ? f->jt : f->jf;
			continue;
		}
		if (f->jt == f->jf) {
			r.pc += f->jt;
			continue;
		}
		if (push(w, &r, f->jf) < 0)
			w->rets_differ = true;
		r.pc += f->jt;
	}
	/* Over budget: what the rest would meet is unknown. */
	if (w->steps >= STEP_BUDGET)
		w->rets_differ = true;
	else	/* a division by zero, whose answer in the kernel is 0 */
		path_end(w, SECCOMP_RET_KILL_THREAD);
}

int seccomp_prog_eval_checked(const struct sock_filter *insns, unsigned len, uint32_t arch, uint32_t nr,
			      struct insp_seccomp_verdict *out)
{
	struct regs small[8];
	struct walk w = { .insns = insns, .len = len, .arch = arch, .nr = nr,
			  .stack = small, .cap = ARRAY_SIZE(small) };

	run_path(&w, (struct regs){ 0 });
	while (w.depth && w.steps < STEP_BUDGET)
		run_path(&w, w.stack[--w.depth]);
	if (w.depth)
		w.rets_differ = true;
	if (w.heap)
		free(w.stack);
	if (!w.any) {	/* the budget ran out before any path ended: anything can happen */
		w.worst = SECCOMP_RET_KILL_PROCESS;
		w.possible = (uint8_t)((1u << INSP_SECCOMP_NACTIONS) - 1);
	}
	*out = (struct insp_seccomp_verdict){ .possible = w.possible };
	verdict_set(out, w.worst);
	out->depends_on_args = w.rets_differ;
	return 0;
}

int seccomp_prog_eval(const struct sock_filter *insns, unsigned len, uint32_t arch, uint32_t nr,
		      struct insp_seccomp_verdict *out)
{
	if (seccomp_prog_check(insns, len) < 0)
		return -EINVAL;
	return seccomp_prog_eval_checked(insns, len, arch, nr, out);
}
