-- Errors are reported and the shell carries on (stderr is folded into stdout).
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c CHECK (c > 0), UNIQUE(b));
INSERT INTO t VALUES (1, 'x', 1);
INSERT INTO t VALUES (1, 'y', 1);
INSERT INTO t VALUES (2, NULL, 1);
INSERT INTO t VALUES (3, 'x', 1);
INSERT INTO t VALUES (4, 'z', 0);
SELEC 1;
SELECT * FROM nope;
SELECT nofunc(1);
SELECT 1 +;
CREATE TABLE t(x);
SELECT count(*) FROM t;
SELECT abs(-9223372036854775808);
SELECT * FROM t WHERE a = ?1;
SELECT raise(ABORT, 'x');
SELECT 'end';
