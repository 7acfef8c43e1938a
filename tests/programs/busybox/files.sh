# File utilities on the run directory: cp, mv, ln, readlink, realpath, stat, touch,
# mkdir, rmdir, rm, find, xargs, dd, truncate, chmod, mktemp (mkfifo: fifo.sh).
b() { busybox "$@"; echo "[$?]"; }
b mkdir -p d/e/f
echo one >d/1.txt; echo two >d/e/2.txt; echo three >d/e/f/3.dat
b cp -r d copy
b find copy | busybox sort
b find d -name '*.txt' | busybox sort
b find d -type d | busybox sort
b find d -type f -newer d/1.txt -o -name 1.txt | busybox sort
b find d -name '*.txt' -exec busybox cat {} \; | busybox sort
find_() { busybox find "$@" | busybox sort; }
find_ d -size -2
busybox find d -type f | busybox sort | busybox xargs busybox wc -c
busybox find d -type f -print0 | busybox xargs -0 -n 1 busybox basename | busybox sort
b mv copy/1.txt copy/one.txt
b ls copy
b ln -s ../d/1.txt copy/link
b readlink copy/link
b cat copy/link
busybox realpath copy/../d/e | busybox tail -c 5
b ln d/1.txt hard
b stat -c '%n %s %h %F %a' d/1.txt hard copy/link d
b touch -d '2001-02-03 04:05:06' d/1.txt
b date -u -r d/1.txt '+%Y-%m-%d %H:%M:%S'
b chmod 600 d/1.txt
b stat -c '%a' d/1.txt
b dd if=/dev/zero of=zeros bs=512 count=4 2>/dev/null
b stat -c '%s' zeros
b dd if=d/e/f/3.dat bs=1 skip=1 count=3 2>/dev/null
echo
b truncate -s 100 zeros
b stat -c '%s' zeros
t=$(busybox mktemp tmp.XXXXXX); b test -f "$t"
b rm -r copy
b rmdir d/e/f
b rm d/e/f/3.dat
b rmdir d/e/f
b ls -a d/e
b rm -f hard zeros "$t"
b ls
