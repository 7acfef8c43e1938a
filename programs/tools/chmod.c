/* chmod MODE FILE...: MODE is octal (644) or [ugoa]*[+-=][rwx]* (+x, u+w, go-r). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int apply(const char *spec, mode_t old, mode_t *out)
{
    char *end;
    long v = strtol(spec, &end, 8);
    if (*spec && !*end) {
        *out = v & 07777;
        return 0;
    }
    mode_t who = 0, bits = 0;
    const char *p = spec;
    for (; *p && strchr("ugoa", *p); p++)
        who |= *p == 'u' ? 04700 : *p == 'g' ? 02070 : *p == 'o' ? 01007 : 07777;
    if (!who)
        who = 07777 & ~022; /* as if by the umask 022 */
    char op = *p++;
    if (op != '+' && op != '-' && op != '=')
        return -1;
    for (; *p; p++) {
        if (*p == 'r') bits |= 0444;
        else if (*p == 'w') bits |= 0222;
        else if (*p == 'x') bits |= 0111;
        else return -1;
    }
    bits &= who;
    *out = op == '+' ? old | bits : op == '-' ? old & ~bits : (old & ~who) | bits;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: chmod mode file...\n");
        return 2;
    }
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        struct stat st;
        mode_t m;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "chmod: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
            continue;
        }
        if (apply(argv[1], st.st_mode & 07777, &m) != 0) {
            fprintf(stderr, "chmod: invalid mode: %s\n", argv[1]);
            return 2;
        }
        if (chmod(argv[i], m) != 0) {
            fprintf(stderr, "chmod: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
        }
    }
    return rc;
}
