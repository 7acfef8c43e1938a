# Pipelines of external tools and builtins; pipeline exit status is the last command's; ! negates.
seq 1 10 | sort -rn | head -n 3
echo hello | cat | cat | cat | wc -c
seq 1 100000 | wc -l
seq 1 2000 | sort -n | wc -l
seq 5 | while read n; do echo "line $n"; done | sort -r
false | true; echo "false|true: $?"
true | false; echo "true|false: $?"
! true; echo "! true: $?"
! false | false; echo "! (false|false): $?"
echo "a b c" | { read x y z; echo "$z $y $x"; }
seq 1 50000 | sort -rn | head -n 1
printf 'b\na\nc\na\n' | sort -u
s=0; for n in $(seq 1 100); do s=$((s + n)); done; echo "sum 1..100 = $s"
