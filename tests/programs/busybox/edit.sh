# sed, awk, diff and patch.
b() { busybox "$@"; echo "[$?]"; }
b sed -n '2,4p' data.txt
b sed 's/fruit/FRUIT/g; /carrot/d' data.txt
b sed -E 's/^([a-z]+) ([0-9]+)/\2:\1/' data.txt
b sed -e '1i\
header' -e '$a\
footer' data.txt
b sed '/apple/{n;s/.*/(after apple)/}' data.txt
printf 'x\n' >f; b sed -i 's/x/y/' f; busybox cat f
b awk '{ s[$3] += $2 } END { for (k in s) print k, s[k] | "busybox sort" }' data.txt
b awk -F ' ' 'NR % 2 == 0 { printf "%-8s|%3d|\n", $1, $2 * 2 }' data.txt
b awk 'BEGIN { x = 2 ^ 10; y = substr("hello", 2, 3); z = toupper(y); printf "%d %s %s %.3f\n", x, y, z, atan2(0, -1) }'
b awk '{ n = split($0, a, " "); print n, a[1], length($1), index($0, "fruit") }' data.txt
b awk 'BEGIN { while (("busybox echo from cmd" | getline line) > 0) print "got:", line }'
b awk '/fig/,0 { print NR": "$0 }' data.txt
b awk '{ gsub(/a/, "A"); sub(/e$/, "E") } 1' data.txt
busybox sed 's/7/8/' data.txt >data2.txt
b diff data.txt data2.txt
b diff -u data.txt data2.txt | busybox tail -n +3
busybox diff -u data.txt data2.txt >p.diff
busybox cat data.txt >work.txt
b patch work.txt p.diff
b cmp work.txt data2.txt
b cmp data.txt data2.txt
