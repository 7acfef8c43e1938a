# Background jobs: & then wait, wait for $!, the exit status of wait, output order fixed by waiting.
# TIMEOUT: 15
echo start
(echo bg-one) > one.txt &
wait
cat one.txt
sh -c 'exit 6' &
pid=$!
wait $pid; echo "wait status $?"
[ "$pid" -gt 0 ] && echo "pid positive"
for i in 1 2 3; do (echo "job $i" > job$i.txt) & done
wait
cat job1.txt job2.txt job3.txt
sleep 0.1 &
wait
echo end
