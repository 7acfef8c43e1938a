# Subshells: variable and cwd isolation, exit statuses, nesting, set -e inside, backquotes, traps.
x=outer
(x=inner; echo "in: $x")
echo "out: $x"
mkdir -p d/e
start=$PWD
(cd d/e && echo "subshell in ${PWD##*/}")
[ "$PWD" = "$start" ] && echo "parent cwd unchanged"
(exit 3); echo "exit 3: $?"
( (exit 5) ); echo "nested: $?"
(echo a; (echo b; (echo c)))
( set -e; false; echo "not reached" ); echo "set -e subshell: $?"
y=`echo back quotes`; echo "$y"
z=$( (echo deep) ); echo "$z"
(trap 'echo sub-exit-trap' EXIT; echo in-sub)
cnt=0; (cnt=5); echo "cnt=$cnt"
f() { (echo "function in subshell $1"; exit 2); }
f arg; echo "f status $?"
{ echo group; } ; echo "group status $?"
(exit 0) && echo "and after subshell"
