# Redirections: >, >>, <, 2>&1, 2>/dev/null, fd 3, <>, noclobber and >|, builtins and external commands.
echo first > out.txt
echo second >> out.txt
cat out.txt
wc -l < out.txt
cat < out.txt > copy.txt; cat copy.txt | wc -c
{ echo to-stdout; echo to-stderr >&2; } 2>/dev/null
{ echo one; echo two >&2; } > both.txt 2>&1; sort both.txt
exec 3> fd3.txt
echo via-fd3 >&3
echo more >&3
exec 3>&-
cat fd3.txt
exec 4< out.txt
read l1 <&4; read l2 <&4; echo "read from fd4: $l1 / $l2"
exec 4<&-
echo abcdef > rw.txt
exec 5<> rw.txt
read word <&5; echo "rw read: $word"
exec 5>&-
set -C
if (echo clobber > out.txt) 2>/dev/null; then echo "noclobber failed"; else echo "noclobber refused"; fi
echo forced >| out.txt; cat out.txt
set +C
cat no-such-file 2>/dev/null; echo "cat missing: $?"
echo hi 2>&1 >/dev/null | cat
ls_missing=$( { cat no-such-file; } 2>&1 >/dev/null | wc -l ); echo "stderr lines: $ls_missing"
echo x > "with space.txt"; cat "with space.txt"
: > empty.txt; wc -c < empty.txt
echo "cannot read a directory" < . 2>/dev/null; echo "status $?"
