/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running a command as our child: signals in, exit status out. */
#ifndef NSCTL_SUPERVISE_H
#define NSCTL_SUPERVISE_H

#include <signal.h>
#include <sys/types.h>

/*
 * Block the signals the parent forwards (and SIGCHLD), before the child is
 * started; *set gets them for supervise_wait, *old the mask the child must
 * restore before exec.
 */
int supervise_block(sigset_t *set, sigset_t *old);

/*
 * Wait for child, forwarding INT, TERM, HUP, QUIT and WINCH to it, and
 * mirroring its job-control stops. Returns its exit status, or 128 + the
 * signal that killed it.
 */
int supervise_wait(pid_t child, const sigset_t *set);

/* Mark every fd above 2 close-on-exec. */
void supervise_cloexec_from3(void);

#endif
