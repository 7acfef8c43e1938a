# Builtins that run code: eval, . (source), getopts, alias, command, read with IFS, cd and pwd, umask, set -e, files with ls/rm.
eval 'x=1; y=$((x + 1))'; echo "eval: $x $y"
cmd='echo "evaluated $1"'; set -- arg; eval "$cmd"
printf 'sourced_var=from-file\nsourced_fn() { echo "fn $1"; }\n' > lib.sh
. ./lib.sh; echo "$sourced_var"; sourced_fn ok
parse() {
	OPTIND=1
	while getopts "ab:c" o "$@"; do
		case $o in a) echo "opt a";; b) echo "opt b=$OPTARG";; c) echo "opt c";; ?) echo "bad option";; esac
	done
	shift $((OPTIND - 1)); echo "rest: $*"
}
parse -a -b val -c file1 file2
parse -x 2>/dev/null
alias greet='echo hello from alias'
eval greet
command echo "via command"
echo "a:b:c" | { IFS=: read p q r; echo "$r $q $p"; }
mkdir -p sub/dir; cd sub/dir; echo "in ${PWD##*/}"; cd ../..; echo "back in the start dir: $([ -d sub ] && echo yes)"
umask 027; umask; : > made.txt; ls -1 | sort
rm -r sub made.txt lib.sh; ls
(set -e; true; false; echo "unreached") ; echo "set -e: $?"
set -e; if false; then :; fi; false || echo "|| keeps set -e quiet"; set +e
for w in $(printf '%s\n' a b c); do printf '%s,' "$w"; done; echo
