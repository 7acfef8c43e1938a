# bzip2recover on a multi-block file, whole and cut short: it reports the bit offsets of
# the blocks it finds (on stderr, compared too) and writes each complete block
# as its own .bz2 file; the blocks decompress to the start of the original.
: >data
for i in 1 2 3 4 5 6; do cat "$SRC/manual.ps" "$SRC/bzip2.c" >>data; done
wc -c data
bzip2 -1 <data >whole.bz2
bzip2recover whole.bz2 2>&1; echo "status $?"
ls
cat rec*whole.bz2 | bzip2 -dc | cmp - data && echo "recovered all"
rm -f rec*whole.bz2
head -c 250000 whole.bz2 >cut.bz2
bzip2 -t cut.bz2 2>/dev/null; echo "status $? (cut)"
bzip2recover cut.bz2 2>&1; echo "status $?"
ls
for f in rec*cut.bz2; do bzip2 -dc "$f" | wc -c; done
