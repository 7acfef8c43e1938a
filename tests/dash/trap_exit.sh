# EXIT traps: run at normal end, at exit N (status kept), in subshells, removed with trap -; trap prints its list.
trap 'echo "exit trap, status $?"' EXIT
trap
(trap 'echo sub trap' EXIT; exit 4); echo "sub status $?"
(trap 'echo removed' EXIT; trap - EXIT; exit 0)
sh -c 'trap "echo inner trap" EXIT; exit 9'; echo "inner status $?"
f() { echo in-function; }
trap 'f' EXIT
echo main done
exit 5
