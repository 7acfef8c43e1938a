# minigzip over zlib's own sources and docs at every level and strategy: the compressed
# size must be the same as the native build's (deflate is deterministic) and the
# decompressed bytes the same as the input.
for f in ChangeLog zlib.h deflate.c zlib.3.pdf doc/rfc1951.txt; do
	for opt in -1 -6 -9 -f -h -R -9f; do
		minigzip $opt <"$SRC/$f" >out.gz || { echo "minigzip $opt $f failed"; exit 1; }
		minigzip -d <out.gz >out || { echo "minigzip -d $f failed"; exit 1; }
		cmp "$SRC/$f" out || exit 1
		echo "$f $opt $(wc -c <out.gz)"
	done
done
