# bzip2's own `make test` (Makefile): compress the three sample files at -1, -2 and -3
# and compare with the shipped .bz2 files; decompress those (the third with -s, the
# small-memory decoder) and compare with the shipped originals.
cat "$SRC/words1"
bzip2 -1 <"$SRC/sample1.ref" >sample1.rb2
bzip2 -2 <"$SRC/sample2.ref" >sample2.rb2
bzip2 -3 <"$SRC/sample3.ref" >sample3.rb2
bzip2 -d <"$SRC/sample1.bz2" >sample1.tst
bzip2 -d <"$SRC/sample2.bz2" >sample2.tst
bzip2 -ds <"$SRC/sample3.bz2" >sample3.tst
for i in 1 2 3; do
	cmp "$SRC/sample$i.bz2" sample$i.rb2 || exit 1
	cmp sample$i.tst "$SRC/sample$i.ref" || exit 1
done
cat "$SRC/words3"
