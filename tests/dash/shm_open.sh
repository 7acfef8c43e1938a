# POSIX shared memory between unrelated programs the shell starts: a reader in the background blocks on a process-shared condition variable in a shm_open object until a writer started later fills it in; the object outlives both until unlinked; O_EXCL.
# TIMEOUT: 20
n=/dash-shm-$$
shm create $n && echo created
shm create $n 2>/dev/null; echo "create again: status $?"
shm read $n
shm wait $n > got.txt &
reader=$!
sleep 0.2
shm write $n "hello from the writer"
wait $reader; echo "reader status $?"
cat got.txt
shm read $n
shm wait $n
shm unlink $n && echo unlinked
shm read $n 2>/dev/null; echo "after unlink: status $?"
shm create $n && shm write $n again && shm read $n
shm unlink $n
