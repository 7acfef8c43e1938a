# Command substitution: trailing newlines stripped, nesting, external commands, large output, exit status.
a=$(printf 'x\n\n\n'); echo "[$a]"
b=$(echo "$(echo "$(echo nested)")"); echo "$b"
c=$(seq 3 | sort -r); echo $c
d=$(seq 1 30000 | wc -l); echo "d=$d"
e=$(seq 1 30000); echo "${#e}"
x=$(false); echo "status of x=\$(false): $?"
x=$(exit 7); echo "status 7: $?"
echo "$(echo a) $(echo b)" "$(true)" end
n=$(echo $(( $(echo 3) + $(echo 4) ))); echo "n=$n"
count=0; for w in $(echo "one two three"); do count=$((count+1)); done; echo "words=$count"
echo "`echo old style`"
v=$(cat <<EOF
inside
EOF
); echo "$v"
