/* A model of what a power cut or a full disk does to files in one folder.

   Loaded with LD_PRELOAD into a child process by tests/storage/faults.py. Only
   paths under $COPROD_FAULT_DIR are touched; everything else passes straight
   through.

   Power cut ($COPROD_FAULT_POWERCUT=1): a change to a folder (removing a name,
   or renaming onto one) is not durable until that folder is fsynced. Until then
   the shim keeps what a power cut would bring back, beside the file:
     NAME.~cut-unlink-PID-N   the file that was unlinked
     NAME.~cut-over-PID-N     the file a rename replaced
     NAME.~cut-new-PID-N      (empty) a rename made NAME where there was none
   An fsync of the folder makes them durable: the keepers are removed. The test
   then "cuts the power" by putting every keeper back (faults.power_cut).

   Full disk ($COPROD_FAULT_ENOSPC_AFTER=bytes): once that many bytes have been
   written to files in the folder, every further write fails with ENOSPC.

   Log ($COPROD_FAULT_LOG=path): one line per unlink, rename and fsync seen; an
   fsync's line ends with the thread that made it (thread=TID, as Python's
   threading.get_native_id() gives it). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_KEPT 4096

static char kept[MAX_KEPT][PATH_MAX];
static int n_kept = 0;
static long counter = 0;
static long long written = 0;

static int (*real_unlink)(const char *);
static int (*real_rename)(const char *, const char *);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);

static void init(void) {
    if (real_unlink) return;
    real_unlink = dlsym(RTLD_NEXT, "unlink");
    real_rename = dlsym(RTLD_NEXT, "rename");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_writev = dlsym(RTLD_NEXT, "writev");
}

static const char *env(const char *name) {
    const char *value = getenv(name);
    return value && *value ? value : NULL;
}

static void absolute(const char *path, char *out) {
    if (path[0] == '/') {
        snprintf(out, PATH_MAX, "%s", path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
        snprintf(out, PATH_MAX, "%s/%s", cwd, path);
    }
}

static int inside(const char *abspath) {
    const char *dir = env("COPROD_FAULT_DIR");
    size_t n;
    if (!dir) return 0;
    n = strlen(dir);
    return strncmp(abspath, dir, n) == 0 && (abspath[n] == '/' || abspath[n] == 0);
}

static void logf_(const char *fmt, ...) {
    const char *path = env("COPROD_FAULT_LOG");
    char line[3 * PATH_MAX];
    va_list args;
    int fd, len;
    if (!path) return;
    va_start(args, fmt);
    len = vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    real_write(fd, line, (size_t)len);
    close(fd);
}

static int fd_path(int fd, char *out) {
    char link[64];
    ssize_t n;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, out, PATH_MAX - 1);
    if (n < 0) return -1;
    out[n] = 0;
    return 0;
}

static int powercut(void) { return env("COPROD_FAULT_POWERCUT") != NULL; }

static void keeper(const char *orig, const char *kind, char *out) {
    snprintf(out, PATH_MAX, "%s.~cut-%s-%d-%ld", orig, kind, (int)getpid(), counter++);
}

static void remember(const char *path) {
    if (n_kept < MAX_KEPT) snprintf(kept[n_kept++], PATH_MAX, "%s", path);
}

int unlink(const char *path) {
    char abs[PATH_MAX], keep[PATH_MAX];
    init();
    absolute(path, abs);
    if (!inside(abs)) return real_unlink(path);
    logf_("unlink %s\n", abs);
    if (!powercut() || strstr(abs, ".~cut-")) return real_unlink(path);
    keeper(abs, "unlink", keep);
    if (real_rename(abs, keep) != 0) return -1; /* same errno as unlink would give */
    remember(keep);
    return 0;
}

int rename(const char *from, const char *to) {
    char afrom[PATH_MAX], ato[PATH_MAX], keep[PATH_MAX];
    struct stat st;
    init();
    absolute(from, afrom);
    absolute(to, ato);
    if (!inside(ato)) return real_rename(from, to);
    logf_("rename %s %s\n", afrom, ato);
    if (!powercut()) return real_rename(from, to);
    if (lstat(ato, &st) == 0) {
        keeper(ato, "over", keep);
        if (link(ato, keep) != 0) return -1;
    } else {
        int fd;
        keeper(ato, "new", keep);
        fd = open(keep, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) close(fd);
    }
    if (real_rename(from, to) != 0) {
        int saved = errno;
        real_unlink(keep);
        errno = saved;
        return -1;
    }
    remember(keep);
    return 0;
}

static void synced(int fd, const char *how) {
    char path[PATH_MAX];
    struct stat st;
    if (fd_path(fd, path) != 0 || !inside(path)) return;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        int i, j = 0;
        logf_("dirsync %s thread=%ld\n", path, (long)syscall(SYS_gettid));
        for (i = 0; i < n_kept; i++) {
            const char *slash = strrchr(kept[i], '/');
            if (slash && (size_t)(slash - kept[i]) == n && strncmp(kept[i], path, n) == 0) {
                real_unlink(kept[i]);
            } else {
                if (i != j) memcpy(kept[j], kept[i], PATH_MAX);
                j++;
            }
        }
        n_kept = j;
    } else {
        logf_("%s %s thread=%ld\n", how, path, (long)syscall(SYS_gettid));
    }
}

int fsync(int fd) {
    init();
    synced(fd, "fsync");
    return real_fsync(fd);
}

int fdatasync(int fd) {
    init();
    synced(fd, "fdatasync");
    return real_fdatasync(fd);
}

static int full(int fd, size_t count) {
    const char *limit = env("COPROD_FAULT_ENOSPC_AFTER");
    char path[PATH_MAX];
    if (!limit || count == 0) return 0;
    if (fd_path(fd, path) != 0 || !inside(path)) return 0;
    if (written + (long long)count > atoll(limit)) {
        errno = ENOSPC;
        return 1;
    }
    written += (long long)count;
    return 0;
}

ssize_t write(int fd, const void *buf, size_t count) {
    init();
    if (full(fd, count)) return -1;
    return real_write(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    init();
    if (full(fd, count)) return -1;
    return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
    init();
    if (full(fd, count)) return -1;
    return real_pwrite64(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    size_t total = 0;
    int i;
    init();
    for (i = 0; i < iovcnt; i++) total += iov[i].iov_len;
    if (full(fd, total)) return -1;
    return real_writev(fd, iov, iovcnt);
}
