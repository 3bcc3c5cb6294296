/* The slow disk of a cheap laptop, for the vote benchmark's --slow-disk rows (benchmarks/run.py).

   Loaded with LD_PRELOAD, it makes every fsync() and fdatasync() wait
   COPROD_BENCH_FSYNC_DELAY_US microseconds before the real call, as an eMMC flush does.
   Only the flush is slowed: reads and writes into the page cache stay as fast as before.

   With COPROD_BENCH_FSYNC_LOG set to a path, each call also appends one line to that file:
   "<thread id> <start> <end>" in microseconds of CLOCK_MONOTONIC (Python's perf_counter), so
   the benchmark can tell which thread waited for the disk, and when. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static useconds_t delay_us(void) {
    static long cached = -1;
    if (cached < 0) {
        const char *text = getenv("COPROD_BENCH_FSYNC_DELAY_US");
        cached = text ? atol(text) : 0;
    }
    return (useconds_t)cached;
}

static int log_fd(void) {
    static int cached = -2;
    if (cached == -2) {
        const char *path = getenv("COPROD_BENCH_FSYNC_LOG");
        cached = path && *path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
    }
    return cached;
}

static long long now_us(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

static void note(long long start) {
    int saved = errno; /* the caller reads the flush's own errno */
    int fd = log_fd();
    if (fd >= 0) {
        char line[80];
        int size = snprintf(line, sizeof line, "%ld %lld %lld\n", (long)syscall(SYS_gettid), start, now_us());
        if (size > 0 && write(fd, line, (size_t)size) < 0) {
            /* a log that cannot be written is no reason to fail the flush */
        }
    }
    errno = saved;
}

/* The delay before a flush; none at all with a delay of 0 (a usleep(0) still yields the core,
   which with only the log wanted would change what is measured). */
static void wait_first(void) {
    useconds_t delay = delay_us();
    if (delay > 0) usleep(delay);
}

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

int fsync(int fd) {
    if (!real_fsync) real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    long long start = now_us();
    wait_first();
    int result = real_fsync(fd);
    note(start);
    return result;
}

int fdatasync(int fd) {
    if (!real_fdatasync) real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    long long start = now_us();
    wait_first();
    int result = real_fdatasync(fd);
    note(start);
    return result;
}
