# WAL mode with the default (shared) locking: the wal-index (-shm file) is a writable
# MAP_SHARED mapping that every connection maps. A second sqlite3 started with .system
# writes while the first still has the database open; each sees the other's commits.
sqlite3 w.db <<'SQL'
PRAGMA journal_mode = WAL;
CREATE TABLE t(id INTEGER PRIMARY KEY, who TEXT);
INSERT INTO t VALUES (1, 'first');
.system sqlite3 w.db "SELECT count(*) FROM t; INSERT INTO t VALUES (2, 'second'); PRAGMA journal_mode;"
SELECT * FROM t ORDER BY id;
BEGIN;
INSERT INTO t VALUES (3, 'first again');
COMMIT;
.system sqlite3 w.db "SELECT group_concat(who, ',') FROM t;"
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "== after close"
ls w.db*
sqlite3 w.db "PRAGMA journal_mode; SELECT count(*) FROM t; PRAGMA integrity_check;"
