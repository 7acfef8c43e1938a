# tar, gzip, bzip2, cpio: round trips (the compressors in pipes: `tar z` would exec a
# gzip applet through PATH, which the root does not have as a separate name).
b() { busybox "$@"; echo "[$?]"; }
busybox mkdir -p tree/sub
busybox cat data.txt >tree/data.txt
busybox seq 1 2000 >tree/sub/numbers
echo small >tree/sub/small
b tar cf t.tar tree
b tar tf t.tar
busybox mkdir out; b tar xf t.tar -C out
b diff -r tree out/tree
busybox gzip -9 <t.tar >t.tar.gz; b gzip -t t.tar.gz
busybox gunzip -c t.tar.gz | busybox tar tf - | busybox sort
busybox gzip -c tree/sub/numbers | busybox wc -c
busybox bzip2 -c tree/sub/numbers | busybox wc -c
busybox bzip2 -c tree/sub/numbers | busybox bunzip2 | busybox cmp - tree/sub/numbers; echo "[$?]"
busybox cp tree/sub/numbers n; b gzip n; b ls n.gz; b zcat n.gz | busybox tail -n 1; b gunzip n.gz; b ls n
busybox find tree | busybox sort | busybox cpio -o -H newc 2>/dev/null >t.cpio; echo "[$?]"
busybox mkdir cp_out; (cd cp_out && busybox cpio -i -d <../t.cpio 2>/dev/null); echo "[$?]"
b diff -r tree cp_out/tree
