# Commands from PATH: lookup, command -v, PATH changes, hash, scripts with #! run by path, a script without #! (ENOEXEC: run by the shell), a missing interpreter.
command -v cat >/dev/null && echo "cat found"
command -v nosuch >/dev/null || echo "nosuch not found"
command -v cd
mkdir -p mybin
printf '#!/bin/sh\necho "script with shebang: $# args: $*"\nexit 3\n' > mybin/tool1
printf 'echo "script without shebang: $1"\n' > mybin/tool2
printf '#!/no/such/interp\necho x\n' > mybin/tool3
chmod +x mybin/tool1 mybin/tool2 mybin/tool3
./mybin/tool1 a b; echo "tool1 status $?"
./mybin/tool2 z; echo "tool2 status $?"
./mybin/tool3 2>/dev/null; echo "tool3 status $?"
PATH="$PWD/mybin:$PATH"
tool1 via path; echo "status $?"
tool2 via-path
hash -r
sh mybin/tool2 run-by-sh
OLDPATH=$PATH; PATH=/nonexistent
cat </dev/null 2>/dev/null; echo "no path: $?"
PATH=$OLDPATH
echo "seq via path: $(seq 3 | wc -l)"
