// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny kernel profiler: perf_event_open(2) cpu-clock sampling on each CPU
 * (kernel mode only), instruction pointer + pid/tid + callchain, read from
 * the mmap ring buffers.  Samples are aggregated here by (role, leaf,
 * first two callers) and printed as records; the host symbolizes them with
 * System.map (the VM kernel has no KALLSYMS and no KASLR).
 *
 * This kernel has no high-resolution timers, so the sampling hrtimer runs
 * from the tick: at most one sample per millisecond per CPU.  Its callchains
 * come from the "guess" unwinder (every kernel text address found on the
 * stack), so only the leaf is exact; the callers are the nearest text
 * addresses above it on the stack, usually but not always real frames.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "bench.h"

#define NCPU		2
#define RB_PAGES	128	/* data pages per CPU (power of two) */
#define NFRAMES		3	/* leaf + 2 callers */
#define MAXKEYS		8192

struct pkey {
	char cfg[40];
	char role[8];
	uint64_t ip[NFRAMES];
	long n;
};

static struct {
	int fd[NCPU];
	void *rb[NCPU];
	size_t pagesz;
	struct pkey keys[MAXKEYS];
	int nkeys;
	long samples, lost;
} P;

int prof_open(void)
{
	struct perf_event_attr a;

	memset(&P, 0, sizeof(P));
	P.pagesz = sysconf(_SC_PAGESIZE);
	for (int cpu = 0; cpu < NCPU; cpu++) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = PERF_TYPE_SOFTWARE;
		a.config = PERF_COUNT_SW_CPU_CLOCK;
		a.sample_period = 250000;	/* ns; the tick limits it anyway */
		a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
				PERF_SAMPLE_CALLCHAIN;
		a.disabled = 1;
		a.exclude_user = 1;
		a.exclude_hv = 1;
		a.exclude_callchain_user = 1;
		P.fd[cpu] = syscall(SYS_perf_event_open, &a, -1, cpu, -1,
				    PERF_FLAG_FD_CLOEXEC);
		if (P.fd[cpu] < 0)
			return errno;
		P.rb[cpu] = mmap(NULL, (RB_PAGES + 1) * P.pagesz,
				 PROT_READ | PROT_WRITE, MAP_SHARED, P.fd[cpu], 0);
		if (P.rb[cpu] == MAP_FAILED)
			return errno;
	}
	return 0;
}

void prof_enable(bool on)
{
	for (int cpu = 0; cpu < NCPU; cpu++)
		ioctl(P.fd[cpu], on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

static void add(const char *cfg, const char *role, const uint64_t *ip)
{
	int i;

	for (i = 0; i < P.nkeys; i++)
		if (!memcmp(P.keys[i].ip, ip, sizeof(P.keys[i].ip)) &&
		    !strcmp(P.keys[i].role, role) && !strcmp(P.keys[i].cfg, cfg))
			break;
	if (i == P.nkeys) {
		if (P.nkeys == MAXKEYS) {
			P.lost++;
			return;
		}
		P.nkeys++;
		snprintf(P.keys[i].cfg, sizeof(P.keys[i].cfg), "%s", cfg);
		snprintf(P.keys[i].role, sizeof(P.keys[i].role), "%s", role);
		memcpy(P.keys[i].ip, ip, sizeof(P.keys[i].ip));
	}
	P.keys[i].n++;
}

/*
 * Consume every sample in the ring buffers and attribute it: the victim
 * (its exit_mmap()), the reaper thread, idle, or anything else.
 */
void prof_drain(const char *cfg, pid_t victim, pid_t reaper)
{
	for (int cpu = 0; cpu < NCPU; cpu++) {
		struct perf_event_mmap_page *mp = P.rb[cpu];
		char *data = (char *)mp + P.pagesz;
		size_t size = RB_PAGES * P.pagesz;
		uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
		uint64_t tail = mp->data_tail;

		while (tail < head) {
			struct perf_event_header h;
			char rec[4096];
			size_t off = tail % size;

			memcpy(&h, data + off, sizeof(h));	/* headers never wrap */
			if (h.size < sizeof(h) || h.size > sizeof(rec))
				break;
			for (size_t i = 0; i < h.size; i++)
				rec[i] = data[(off + i) % size];
			tail += h.size;
			if (h.type == PERF_RECORD_LOST) {
				P.lost += *(uint64_t *)(rec + sizeof(h) + 8);
				continue;
			}
			if (h.type != PERF_RECORD_SAMPLE)
				continue;
			uint64_t *p = (uint64_t *)(rec + sizeof(h));
			uint64_t ip = p[0];
			uint32_t tid = ((uint32_t *)&p[1])[1];
			uint64_t nr = p[2], frames[NFRAMES] = { ip, 0, 0 };
			int f = 1;

			for (uint64_t i = 0; i < nr && f < NFRAMES; i++) {
				uint64_t a = p[3 + i];

				if (a >= PERF_CONTEXT_MAX || a == ip)
					continue;	/* context marker, the leaf */
				frames[f++] = a;
			}
			P.samples++;
			add(cfg, (pid_t)tid == victim ? "exit" :
				 (pid_t)tid == reaper ? "reaper" :
				 tid == 0 ? "idle" : "other", frames);
		}
		__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
	}
}

void prof_emit(const char *sec)
{
	for (int i = 0; i < P.nkeys; i++) {
		struct pkey *k = &P.keys[i];
		struct rec r;
		char buf[64];

		rec_begin(&r, sec);
		rec_str(&r, "cfg", k->cfg);
		rec_str(&r, "role", k->role);
		for (int f = 0; f < NFRAMES; f++) {
			snprintf(buf, sizeof(buf), "%llx", (unsigned long long)k->ip[f]);
			rec_str(&r, f == 0 ? "ip" : f == 1 ? "c1" : "c2", buf);
		}
		rec_int(&r, "n", k->n);
		rec_end(&r);
	}
	note("profile: %ld samples, %d stacks, %ld lost", P.samples, P.nkeys, P.lost);
}

void prof_close(void)
{
	for (int cpu = 0; cpu < NCPU; cpu++) {
		if (P.rb[cpu] && P.rb[cpu] != MAP_FAILED)
			munmap(P.rb[cpu], (RB_PAGES + 1) * P.pagesz);
		if (P.fd[cpu] > 0)
			close(P.fd[cpu]);
	}
}
