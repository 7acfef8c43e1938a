# Environment: export reaches children (env), VAR=x cmd is only for that command, unset, readonly, set -u.
export A=exported
B=local
env | sort | while read line; do case $line in A=*|B=*|C=*) echo "child sees $line";; esac; done
C=prefix env | while read line; do case $line in C=*) echo "prefix: $line";; esac; done
echo "C after prefix: [${C-unset}]"
sh -c 'echo "sh sees A=$A B=${B-unset}"'
unset A; sh -c 'echo "after unset A=${A-unset}"'
readonly R=1
(R=2) 2>/dev/null || echo "readonly refused"
(set -u; echo "$undefined_var") 2>/dev/null || echo "set -u refused"
export -p | while read a b; do case $b in A=*|B=*) echo "export -p: $b";; esac; done
X=1 sh -c 'echo "X=$X"'
