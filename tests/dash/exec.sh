# exec: redirect the shell's own fds, keep fds across external commands, replace a (sub)shell, not found exits 127.
exec 3> saved.txt
echo "to three" >&3
sh -c 'echo "child writes fd 3" >&3'
exec 3>&-
cat saved.txt
(exec echo "replaced subshell"; echo "not reached")
( exec sh -c 'exit 12' ); echo "exec status $?"
(exec nosuchcommand 2>/dev/null); echo "exec missing $?"
exec 6>&1
exec > redirected.txt
echo "into file"
exec 1>&6 6>&-
cat redirected.txt
sh -c 'exec cat' <<EOF
via exec cat
EOF
exec sh -c 'echo "final exec"; exit 8'
echo "never"
