# Compress bzip2's sources and docs at every block size: the compressed size must be the
# native build's, the round trip byte-exact, and `bzip2 -t` must accept the result.
for f in bzip2.c blocksort.c manual.html manual.pdf sample1.ref; do
	for lvl in -1 -5 -9; do
		bzip2 $lvl <"$SRC/$f" >out.bz2 || { echo "bzip2 $lvl $f failed"; exit 1; }
		bzip2 -t out.bz2 || exit 1
		bunzip2 <out.bz2 >out || exit 1
		cmp "$SRC/$f" out || exit 1
		echo "$f $lvl $(wc -c <out.bz2)"
	done
done
bzip2 -s -9 <"$SRC/manual.ps" | bzip2 -ds | cmp - "$SRC/manual.ps" && echo "small-memory ok"
