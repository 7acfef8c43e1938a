# minigzip on named files: FILE -> FILE.gz (the input is removed), and -d back.
cp_() { cat "$1" >"$2"; }
cp_ "$SRC/zlib.h" a
cp_ "$SRC/ChangeLog" b
minigzip a b || exit 1
ls
wc -c a.gz b.gz
minigzip -d a.gz b.gz || exit 1
ls
cmp a "$SRC/zlib.h" && cmp b "$SRC/ChangeLog" && echo same
# an empty file and a missing one
: >empty
minigzip empty && wc -c empty.gz && minigzip -d empty.gz && wc -c empty
minigzip missing; echo "status $?"
