# grep over about 6 MiB (grep's own sources and docs, many times): counts for several
# patterns, -o, -v, and a pipeline of grep cages.
: >big
for i in 1 2 3 4 5 6 7 8; do cat "$SRC"/src/*.c "$SRC"/lib/*.c "$SRC/ChangeLog" "$SRC/NEWS" >>big; done
wc -c big
for p in static 'if (' '^#include' 'return [a-z]*;' '\<char\>' 'xyzzy-no-match'; do
	echo "$p: $(grep -c "$p" big)"
done
grep -c -E '(int|long) [a-z_]+ =' big
grep -c -i -w 'the' big
grep -o -w 'struct [a-z_]*' big | sort -u | head -n 20
grep -v -c 'e' big
grep -F -c -e malloc -e free -e realloc big
cat big | grep static | grep -v inline | grep -c void
grep -m 3 -n -H 'Free Software Foundation' big
