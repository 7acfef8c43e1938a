# About 6 MiB through a pipeline of four cages: compress, decompress, compress at -1,
# decompress; then the size and a byte comparison.
: >big
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	cat "$SRC"/*.c "$SRC"/*.h "$SRC/ChangeLog" "$SRC/zlib.3.pdf" >>big
done
wc -c big
minigzip -9 <big | minigzip -d | minigzip -1 | minigzip -d >back
cmp big back && echo same
minigzip -9 <big | wc -c
