# About 8 MiB through a pipeline of four cages (compress, decompress, twice), then a
# byte comparison; and bzcat over concatenated streams.
: >big
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$SRC"/*.c "$SRC"/*.h "$SRC/manual.ps" "$SRC/sample2.ref" >>big; done
wc -c big
bzip2 -9 <big | bzip2 -d | bzip2 -1 | bzip2 -d >back
cmp big back && echo same
bzip2 <big >big.bz2
cat big.bz2 big.bz2 >two.bz2
bzcat two.bz2 | wc -c
wc -c big.bz2
