/* For confine/ programs, which try to break out of the cage root.
   Outside a cage (cwd is not "/") they must not touch anything; inside
   they create things only relative to the cwd (the root). */
#ifndef LIND_TEST_CONFINE_H
#define LIND_TEST_CONFINE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void require_cage(void)
{
    char cwd_buf[256];
    if (!getcwd(cwd_buf, sizeof cwd_buf) || strcmp(cwd_buf, "/") != 0) {
        printf("refusing to run outside a lind cage (cwd is not /)\n");
        exit(1);
    }
}
#endif
