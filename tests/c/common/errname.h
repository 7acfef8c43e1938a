/* errname.h: strerror-independent errno names for the C suite (not a test). */
#ifndef LIND_TEST_ERRNAME_H
#define LIND_TEST_ERRNAME_H
#include <errno.h>
#include <stdio.h>

static const char *errname(int e)
{
    static char buf[32];
    switch (e) {
    case 0: return "OK";
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC)
    E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY)
    E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE)
    E(EMFILE) E(ENOTTY) E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK)
    E(EPIPE) E(EDOM) E(ERANGE) E(ENAMETOOLONG) E(ENOSYS) E(ENOTEMPTY)
    E(ELOOP) E(EOVERFLOW) E(EOPNOTSUPP)
    E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT)
    E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT) E(EAFNOSUPPORT) E(EADDRINUSE)
    E(EADDRNOTAVAIL) E(ECONNRESET) E(ENOBUFS) E(EISCONN) E(ENOTCONN)
    E(ECONNREFUSED) E(EALREADY) E(EINPROGRESS) E(ECONNABORTED)
    E(ENETUNREACH) E(EHOSTUNREACH) E(EDEADLK) E(EOWNERDEAD) E(ENOTRECOVERABLE)
#undef E
    default:
        snprintf(buf, sizeof buf, "errno=%d", e);
        return buf;
    }
}

/* Print "<what>: ret=<r> <ERRNAME>" after a call that sets errno on failure. */
#define SHOW(what, expr)                                                     \
    do {                                                                     \
        errno = 0;                                                           \
        long long r_ = (long long)(expr);                                    \
        int e_ = errno;                                                      \
        printf("%s: ret=%lld %s\n", what, r_, r_ < 0 ? errname(e_) : "OK");  \
    } while (0)

#endif
