# busybox ash running a script: functions, arithmetic, loops, pipelines, subshells,
# command substitution, here-documents, traps, getopts, case, local variables.
# `read` (which waits in poll()), from a pipe, with IFS, -r and a timeout.
cat >script.sh <<'SCRIPT'
f() { local x=$1; echo "f($x) -> $((x * x + 1))"; }
for i in 1 2 3; do f $i; done
n=0; while [ $n -lt 5 ]; do n=$((n + 1)); done; echo "n=$n"
echo "$(echo nested $(echo deep))"
for v in $(busybox seq 1 10); do [ $((v % 3)) -eq 0 ] && echo "div3 $v"; done
(cd / && pwd); pwd | busybox tail -c 2 >/dev/null
case "hello.c" in *.h) echo header ;; *.c) echo source ;; esac
cat <<EOT
here $((6 * 7)) ${n:-unset} ${undefined:-default} ${#n}
EOT
set -- -a -b val rest
while getopts ab: opt; do echo "opt $opt ${OPTARG:-}"; done
shift $((OPTIND - 1)); echo "rest: $*"
trap 'echo trapped EXIT' EXIT
v="a:b:c"; IFS=:; set -- $v; IFS=' '; echo "$# fields: $2"
s="prefix-body-suffix"; echo "${s#prefix-} ${s%-suffix} ${s##*-} ${s%%-*}"
busybox sleep 0 & wait $!; echo "bg status $?"
false || echo "or ok"; true && echo "and ok"
x=$( (exit 3) ); echo "subshell status $?"
echo "arith $(( (1 << 10) | 7 )) $(( -17 / 5 )) $(( -17 % 5 )) $(( 2 ** 10 ))"
printf '%s\n' "printf builtin" 
printf 'a b c\nsecond line\n' | { read x y; read -r z; echo "read: $x|$y|$z"; }
echo "k=v" | { IFS== read k v; echo "read: $k -> $v"; }
busybox sleep 2 | { read -t 1 late; echo "read -t status $?"; }
[ -n "$HOME" ] && echo "HOME set"
exit 4
SCRIPT
busybox ash script.sh; echo "[status $?]"
busybox ash -c 'echo $((1+2)); exit 7'; echo "[status $?]"
echo 'echo from stdin $0' | busybox ash -s; echo "[status $?]"
busybox ash -c 'nosuchcommand' 2>/dev/null; echo "[status $?]"
