# Context lines, separators, NUL-separated data, counts with several files, and a
# recursive search over a small tree (sorted: readdir order is the file system's).
t() { echo "\$ grep $*"; grep "$@"; echo "[status $?]"; }
t -A 1 banana words.txt
t -B 2 cherry words.txt
t -C 1 -n foo words.txt
t -A 1 --group-separator=XX -e apple -e cat words.txt
t --no-group-separator -A 0 -e apple -e cat words.txt
t -c apple words.txt words.txt
printf 'one\0two apple\0three\0' >nul.dat
grep -z apple nul.dat | wc -c
mkdir -p tree/a/b tree/c
echo "needle here" >tree/a/one.txt
echo "no match" >tree/a/b/two.txt
echo "needle again" >tree/a/b/three.c
echo "needle" >tree/c/four.txt
grep -r needle tree | sort; echo "[status $?]"
grep -rl needle tree | sort
grep -rc needle tree | sort
grep -r --include='*.c' needle tree; echo "[status $?]"
grep -r --exclude='*.txt' -n needle tree
grep -r --exclude-dir=b needle tree | sort
grep -L needle tree/a/one.txt tree/a/b/two.txt; echo "[status $?]"
grep needle tree 2>/dev/null; echo "[status $?] (a directory without -r)"
