# Named pipes: busybox mkfifo, then writers in the background and readers in front,
# each end's open waiting for the other's (the node is the only thing they share).
b() { busybox "$@"; echo "[$?]"; }
b mkfifo -m 640 p
b stat -c '%F %a' p
b test -p p
busybox seq 1 1000 >p &
busybox wc -l <p
wait $!; echo "writer [$?]"
(busybox echo one; busybox echo two; busybox echo three) >p &
busybox sort -r <p
wait; echo "subshell [$?]"
# The reader first, this time.
busybox tr a-z A-Z <p >upper.txt &
busybox echo "reader waited" >p
wait; busybox cat upper.txt
b mkfifo p
b rm p
b test -p p
