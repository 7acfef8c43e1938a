# bzip2 on named files: FILE -> FILE.bz2 (removed unless -k), -d, -c, -f, -t, bzcat of
# several files, and the errors bzip2 reports with its exit status (stderr compared
# too, after the program name).
cat "$SRC/bzip2.c" >a
cat "$SRC/CHANGES" >b
bzip2 a b; echo "status $?"
ls
bzip2 -k -d a.bz2; echo "status $?"
ls
bzip2 -d a.bz2 2>err; echo "status $? (output exists)"; { read -r p rest; echo "$rest"; } <err
bzip2 -f -d a.bz2; echo "status $?"
cmp a "$SRC/bzip2.c" && echo a same
bzcat b.bz2 b.bz2 | wc -c
bzip2 -c b.bz2 >b2.bz2 2>err; echo "status $? (already .bz2: -c forces)"
bzip2 -dc b2.bz2 | bzip2 -dc | cmp - "$SRC/CHANGES" && echo b same
echo "not bzip2 data" >junk.bz2
bzip2 -t junk.bz2 2>err; echo "status $? (test of junk)"
bunzip2 junk.bz2 2>err; echo "status $? (decompress junk)"
bzip2 missing 2>err; echo "status $? (missing)"; { read -r p rest; echo "$rest"; } <err
: >empty
bzip2 empty && wc -c empty.bz2 && bzip2 -d empty.bz2 && wc -c empty
bzip2 -vv -c empty 2>/dev/null | wc -c
bzip2 --help 2>&1 | head -n 3 | { read -r a; read -r b; echo "$b"; }
ls
