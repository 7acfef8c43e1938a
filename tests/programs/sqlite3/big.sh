# TIMEOUT: 120
# A heavier workload on a database file: 200k rows, indexes, joins, a sort larger than
# the page cache (temporary files), aggregate queries.
sqlite3 big.db <<'SQL'
PRAGMA cache_size = 200;
CREATE TABLE r(id INTEGER PRIMARY KEY, k INTEGER, s TEXT, f REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO r SELECT i, (i * 7919) % 10007, printf('row-%06d-%d', i, i % 97), i / 7.0 FROM n;
CREATE INDEX r_k ON r(k);
CREATE TABLE g(k INTEGER PRIMARY KEY, label TEXT);
INSERT INTO g SELECT DISTINCT k, 'g' || k FROM r;
SELECT count(*), sum(k), round(sum(f), 3), min(s), max(s) FROM r;
SELECT k, count(*) FROM r GROUP BY k ORDER BY count(*) DESC, k LIMIT 5;
SELECT count(*) FROM r JOIN g USING (k) WHERE g.label LIKE 'g1%';
SELECT s FROM r ORDER BY s DESC LIMIT 3;
SELECT id FROM r ORDER BY f * -1, s LIMIT 3;
SELECT count(*) FROM (SELECT DISTINCT s FROM r);
UPDATE r SET s = upper(s) WHERE id % 1000 = 0;
DELETE FROM r WHERE k < 5000;
SELECT count(*), sum(length(s)) FROM r;
PRAGMA integrity_check;
SQL
ls
