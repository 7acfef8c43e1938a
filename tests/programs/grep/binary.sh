# Binary data: NUL bytes make a file binary ("Binary file ... matches"), -a treats it as
# text, -I skips it; -c and -o on binary files.
printf 'text line\nbinary \0 apple\nlast apple line\n' >bin.dat
t() { echo "\$ grep $*"; grep "$@"; echo "[status $?]"; }
t apple bin.dat
t -a apple bin.dat | wc -c
t -c apple bin.dat
t -I apple bin.dat
t --binary-files=without-match apple bin.dat
t -l apple bin.dat words.txt
t -o apple bin.dat
grep -a -n apple bin.dat | wc -c
