# The sqlite3 shell: output modes, .import, .dump into a second database through a pipe,
# .read, .output, .once, .system (system() runs /bin/sh), .backup/.restore, .sha3sum.
printf 'id,name,score\n1,ann,9.5\n2,"bob, jr",7\n3,cid,\n' >in.csv
sqlite3 db1 <<'SQL'
.mode csv
.import in.csv people
.mode box
SELECT * FROM people ORDER BY id;
.mode markdown
SELECT * FROM people ORDER BY id;
.mode json
SELECT * FROM people ORDER BY id;
.mode line
SELECT name, score FROM people WHERE id = 2;
.mode column
.headers on
SELECT * FROM people ORDER BY id;
.mode insert people2
SELECT * FROM people ORDER BY id;
.mode quote
SELECT 'x', 1, 2.5, NULL, x'00';
.mode tabs
.headers off
SELECT * FROM people;
.schema
.tables
.indexes
SQL
echo "== dump | load"
sqlite3 db1 .dump | sqlite3 db2
sqlite3 db2 'SELECT count(*), sum(score) FROM people'
echo "== .read, .output, .once"
echo "SELECT 'read ok';" >script.sql
sqlite3 db1 '.read script.sql' '.output out.txt' 'SELECT 1, 2;' '.output stdout' '.once once.txt' "SELECT 'once';" "SELECT 'after';"
cat out.txt once.txt
echo "== .system"
sqlite3 db1 '.system echo from system' '.shell exit 3' "SELECT 'still here'" 2>err; cat err
echo "== .backup/.restore"
sqlite3 db1 '.backup bak.db'
sqlite3 db3 '.restore bak.db' 'SELECT count(*) FROM people'
echo "== .sha3sum"
sqlite3 db2 '.sha3sum'
echo "== -cmd, -csv, -header, -separator, -nullvalue"
sqlite3 -cmd 'CREATE TABLE t(a,b)' -cmd "INSERT INTO t VALUES (1,NULL),(2,'x')" -header -separator ';' -nullvalue NUL :memory: 'SELECT * FROM t'
sqlite3 -csv -header :memory: "SELECT 1 AS a, 'q\"uote' AS b"
echo "== errors and exit status"
# stderr goes to a file: musl flushes the first line written to a non-terminal stdout at
# once (it learns that stdout is no terminal on its first write), glibc does not, so the
# interleaving of the two streams differs between the builds.
sqlite3 :memory: 'SELECT * FROM missing' 2>err; echo "status $?"; cat err
sqlite3 -bail :memory: 'SELECT 1' 'SELEC 2' 'SELECT 3' 2>err; echo "status $?"; cat err
echo 'SELECT 1; SELEC x; SELECT 3;' | sqlite3 :memory: 2>err; echo "status $?"; cat err
sqlite3 -version | { read -r v rest; echo "$v"; }
ls
