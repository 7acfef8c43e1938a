# Many external commands in loops: 200 command substitutions, 100 fork+exec of true, a while-read loop over a pipe.
i=0; while [ $i -lt 200 ]; do out=$(echo $i); i=$((i + 1)); done; echo "last=$out"
n=0; while [ $n -lt 100 ]; do command true; env true; n=$((n + 1)); done; echo "n=$n"
seq 1 1000 | { s=0; while read k; do s=$((s + k)); done; echo "sum=$s"; }
c=0; for f in $(seq 1 50); do c=$((c + $(echo 1))); done; echo "c=$c"
seq 1 30 | while read a; do echo "$a" | wc -c; done | sort -n | sort -u | wc -l
