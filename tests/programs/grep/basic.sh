# Everyday options on a small file; each invocation also prints grep's exit status.
t() { echo "\$ grep $*"; grep "$@"; echo "[status $?]"; }
t apple words.txt
t -i apple words.txt
t -v -c a words.txt
t -n -w apple words.txt
t -x aaa words.txt
t -o 'app[a-z]*' words.txt
t -m 2 -n apple words.txt
t -q banana words.txt
t -q nothing-here words.txt
t -c '' words.txt
cat "$SRC/NEWS" >NEWS
t -l apple words.txt NEWS /dev/null
t -L apple words.txt /dev/null
t -H -b foo words.txt
t -h foo words.txt words.txt
t -e foo -e cat words.txt
printf 'cherry\nFOO\n' >pats
t -f pats words.txt
t -F 'a.b' words.txt
t -F -x -i 'foo' words.txt
t -s foo no-such-file
t foo no-such-file 2>/dev/null
t -E '[' words.txt 2>/dev/null
t -P 'a' words.txt 2>/dev/null
t --color=always -i 'apple' words.txt
t --count --ignore-case --word-regexp apple words.txt
t -n '' /dev/null
echo "stdin line apple" | grep -n apple; echo "[status $?]"
echo "stdin line" | grep -H --label=LABEL line; echo "[status $?]"
# error messages (stderr), compared too
grep foo no-such-file 2>&1; echo "[status $?]"
grep -E 'a{1' words.txt 2>&1; echo "[status $?]"
grep -E '(' words.txt 2>&1; echo "[status $?]"
grep '\(' words.txt 2>&1; echo "[status $?]"
grep --no-such-option 2>&1 | head -n 1; echo "[status $?]"
mkdir -p dir; grep x dir 2>&1; echo "[status $?]"
