/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Child processes with a deadline, and credentials: dropping to a user,
 * reading and dropping capabilities.
 * Return values, as everywhere in lib/: 0 or a positive errno, unless said
 * otherwise (start_child(), finish_child() and run_in_child() return a pid
 * or an exit status, so their errors are negative).
 */
#ifndef OOMCTL_PROC_H
#define OOMCTL_PROC_H

#include <stdint.h>
#include <sys/types.h>

/* waitpid() with a deadline (pidfd + poll): 0, ETIMEDOUT or an errno. */
int proc_wait(pid_t pid, int *status, int timeout_ms);
/* Fork a child running @fn(@arg), exiting with its return value: pid or
 * -errno.  finish_child(): its status as below. */
pid_t start_child(int (*fn)(void *), void *arg);
int finish_child(pid_t pid, int timeout_ms);
/*
 * Run @fn(@arg) in a child and wait for it: its return value is the exit
 * status.  Returns the status (0..255), 128 + signal if it died of one,
 * -ETIMEDOUT (the child is then killed) or -errno.
 */
int run_in_child(int (*fn)(void *), void *arg, int timeout_ms);

/* setgroups(0) + setresgid + setresuid: all capabilities are gone after. */
int drop_to_user(uid_t uid, gid_t gid);
/* Effective capability sets (64 bits). */
int caps_get(uint64_t *effective, uint64_t *permitted);
/* Remove @cap from the effective and permitted sets. */
int caps_drop(int cap);
/* Become @uid/@gid keeping every capability effective. */
int become_user_keep_caps(uid_t uid, gid_t gid);

#endif
