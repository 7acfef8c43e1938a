// A file descriptor inherited over fork shares the open file description: writes from parent and child advance one offset (no O_APPEND), lseek in the child moves the parent's offset, O_APPEND set by F_SETFL is shared, FD_CLOEXEC and close() are per process.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void wait_child(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
}

int main(void)
{
    int fd = open("shared.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror("open"); return 1; }
    write(fd, "parent1\n", 8);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        write(fd, "child1\n", 7);
        _exit(0);
    }
    wait_child(pid);
    write(fd, "parent2\n", 8);
    printf("offset after parent1+child1+parent2: %ld\n", (long)lseek(fd, 0, SEEK_CUR));

    /* Child seeks; the parent sees the new offset. */
    pid = fork();
    if (pid == 0) {
        lseek(fd, 3, SEEK_SET);
        _exit(0);
    }
    wait_child(pid);
    printf("offset after the child's lseek(3): %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    write(fd, "XX", 2);

    /* The child sets O_APPEND on the shared description: the parent's writes append. */
    pid = fork();
    if (pid == 0) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        _exit(0);
    }
    wait_child(pid);
    printf("parent sees O_APPEND set by the child: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    printf("parent's FD_CLOEXEC unchanged: %d\n", fcntl(fd, F_GETFD) == 0);
    lseek(fd, 0, SEEK_SET);
    write(fd, "end\n", 4);

    /* close() in the child does not close the parent's descriptor. */
    pid = fork();
    if (pid == 0) {
        close(fd);
        _exit(0);
    }
    wait_child(pid);
    printf("fd still open in the parent: %d\n", fcntl(fd, F_GETFD) >= 0);

    /* Alternating writes, each side waiting for the other through pipes. */
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    pid = fork();
    if (pid == 0) {
        char c;
        for (int i = 0; i < 3; i++) {
            read(to_child[0], &c, 1);
            char line[16];
            int n = snprintf(line, sizeof line, "c%d\n", i);
            write(fd, line, n);
            write(to_parent[1], "k", 1);
        }
        _exit(0);
    }
    char c;
    for (int i = 0; i < 3; i++) {
        char line[16];
        int n = snprintf(line, sizeof line, "p%d\n", i);
        write(fd, line, n);
        write(to_child[1], "k", 1);
        read(to_parent[0], &c, 1);
    }
    wait_child(pid);
    close(fd);

    char buf[256];
    fd = open("shared.txt", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("final content:\n%s", buf);
    close(fd);
    unlink("shared.txt");
    return 0;
}
