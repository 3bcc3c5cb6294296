/* The slow disk of a cheap laptop, for the vote benchmark's --slow-disk rows (benchmarks/run.py).

   Loaded with LD_PRELOAD, it makes every fsync() and fdatasync() wait
   COPROD_BENCH_FSYNC_DELAY_US microseconds before the real call, as an eMMC flush does.
   Only the flush is slowed: reads and writes into the page cache stay as fast as before. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

static useconds_t delay_us(void) {
    static long cached = -1;
    if (cached < 0) {
        const char *text = getenv("COPROD_BENCH_FSYNC_DELAY_US");
        cached = text ? atol(text) : 0;
    }
    return (useconds_t)cached;
}

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

int fsync(int fd) {
    if (!real_fsync) real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    usleep(delay_us());
    return real_fsync(fd);
}

int fdatasync(int fd) {
    if (!real_fdatasync) real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    usleep(delay_us());
    return real_fdatasync(fd);
}
