# Builtins only: arithmetic, parameter expansion, case, functions, loops, set/shift, IFS splitting, printf.
x=5 y=7
echo "sum $((x + y)) prod $((x * y)) mod $((y % x)) shift $((1 << 10)) neg $((-x)) cmp $((x < y))"
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "i=$i"
path=/usr/local/lib/libfoo.so.1
echo "${path##*/} ${path%/*} ${path#/*/} ${path%%.*} ${#path}"
unset u; echo "[${u:-default}] [${u-unset}] [${u:+alt}]"; u=; echo "[${u:-empty}] [${u-set}]"
: ${v:=assigned}; echo "v=$v"
case "hello.c" in *.h) echo header ;; *.c) echo source ;; *) echo other ;; esac
case x in [abc]) echo no ;; [!abc]) echo yes ;; esac
f() { local a=inner; echo "f args=$# first=$1 a=$a"; return 4; }
a=outer; f one two; echo "status=$? a=$a"
g() { for w in "$@"; do printf '<%s>' "$w"; done; echo; }
g "a b" c "" d
set -- one "two three" four; echo "count=$#"; shift; echo "after shift: $1"; shift 2; echo "now $#"
IFS=:; set -- $(printf 'a:b::c'); echo "fields=$#"; IFS=' '
for n in 1 2 3 4 5 6; do [ $n -eq 2 ] && continue; [ $n -eq 5 ] && break; printf '%s ' $n; done; echo
printf '%5s|%-5s|%05d|%x|%o|%c|%%\n' ab cd 42 255 8 xyz
printf '%s\n' "multi" "args"
n=0; until [ $n -ge 3 ]; do n=$((n+1)); done; echo "until n=$n"
echo "$(( (3 + 4) * 2 / 7 )) $(( 0x10 + 010 )) $(( 5 > 3 && 2 > 1 ))"
test -z "" && test -n x && [ "a" = "a" ] && [ 3 -ge 3 ] && echo "tests ok"
[ ! -e no/such/file ] && echo "no file"
echo "done"
