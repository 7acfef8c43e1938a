# Script arguments (from the ARGS directive): $#, "$@" vs $*, positional beyond 9, shift.
# ARGS: one "two words" three 4 5 6 7 8 9 ten
echo "count $#"
for a in "$@"; do printf '[%s]' "$a"; done; echo
for a in $*; do printf '(%s)' "$a"; done; echo
echo "tenth: ${10}"
IFS=-; echo "joined: $*"; IFS=' '
shift 3; echo "after shift: $1, count $#"
