# Text utilities, each as `busybox APPLET` (the root's plain names are the suite's own
# tools): sort, uniq, cut, paste, tr, wc, head, tail, tac, nl, fold, expand, od, sums...
b() { busybox "$@"; echo "[$?]"; }
b sort data.txt
b sort -k2,2n -k1,1 data.txt
b sort -t ' ' -k3,3 -k2,2nr -u data.txt
b sort data.txt -o sorted.txt; busybox cat sorted.txt | busybox uniq -c
busybox sort data.txt | busybox uniq -d
b cut -d ' ' -f 1,3 data.txt
b cut -c 2-4 data.txt
busybox cut -d ' ' -f 1 data.txt >a; busybox cut -d ' ' -f 2 data.txt >b2
b paste a b2
b paste -s -d , a
b tr 'a-z' 'A-Z' <data.txt
b tr -d 'aeiou' <data.txt
b tr -s ' ' <data.txt
b wc data.txt
b wc -l -w data.txt
b head -n 3 data.txt
b tail -n 2 data.txt
b tail -c 20 data.txt
b tac data.txt
b nl data.txt
echo "a long line of text that will be folded at twenty columns" | busybox fold -w 20
printf 'a\tb\tc\n' | busybox expand -t 4
printf 'a   b\n' | busybox unexpand -a
b od -c data.txt
printf '\001\002\377abc' | busybox od -A x -t x1z
printf '\001\002\377abc' | busybox hexdump -C
printf 'hello xxd' | busybox xxd
b md5sum data.txt
b sha1sum data.txt
b sha256sum data.txt
b sha512sum data.txt
b cksum data.txt
b sum data.txt
busybox base64 data.txt >b64; b base64 -d b64
busybox sort a >s1; printf 'apple\nbanana\nkiwi\n' >s2
b comm s1 s2
b comm -12 s1 s2
b seq -w 8 11
b seq -s , 1 3 10
b printf '%5.2f|%-4s|%x|%o|%c|%s\n' 3.14159 ab 255 8 z 'multi word'
b expr 7 \* 6
b expr length "hello"
b expr "abc123" : '[a-z]*'
b basename /usr/lib/libc.so .so
b dirname /usr/lib/libc.so
printf 'a b\nb c\nc d\n' | busybox tsort
b factor 360 97 1001
echo "reverse me" | busybox rev
b test 3 -lt 5
b test -f data.txt -a ! -d data.txt
b '[' abc = abd ']'
printf 'x\ny\n' | busybox split -l 1 - part_; busybox cat part_aa part_ab
b dos2unix -u data.txt
b strings -n 6 data.txt
b shuf -i 1-1 
b uname -s
b echo -e 'tab\there' -n
b yes abc | busybox head -n 3
