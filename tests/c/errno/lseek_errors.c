// lseek errors: negative resulting offset and bad whence give EINVAL; offset is unchanged after failures.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "../common/errname.h"

int main(void)
{
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    SHOW("lseek SET -1", lseek(fd, -1, SEEK_SET));
    SHOW("lseek CUR -11", lseek(fd, -11, SEEK_CUR));
    SHOW("lseek END -11", lseek(fd, -11, SEEK_END));
    SHOW("lseek whence 77", lseek(fd, 0, 77));
    SHOW("offset unchanged", lseek(fd, 0, SEEK_CUR));
    SHOW("lseek END -10", lseek(fd, -10, SEEK_END));
    SHOW("lseek SET 2^40", lseek(fd, 1LL << 40, SEEK_SET));
    return 0;
}
