-- Tables, joins, aggregates, subqueries, CTEs, window functions, views, triggers, upsert.
.headers on
.mode list
CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept INTEGER REFERENCES dept(id), salary REAL, hired TEXT);
INSERT INTO dept(name) VALUES ('eng'), ('ops'), ('sales'), ('empty');
INSERT INTO emp(name, dept, salary, hired) VALUES
  ('ann', 1, 120000, '2019-03-01'), ('bob', 1, 95000, '2021-07-15'), ('cid', 2, 70000, '2018-01-10'),
  ('dee', 3, 65000, '2020-11-30'), ('eve', 1, 130000, '2017-05-20'), ('fay', 3, 72000, '2022-02-01'),
  ('gus', 2, 68000, '2023-06-06'), ('hal', NULL, 50000, '2024-01-01');
SELECT d.name, count(e.id) AS n, sum(e.salary) AS total, round(avg(e.salary), 2) AS mean, max(e.salary) AS top
  FROM dept d LEFT JOIN emp e ON e.dept = d.id GROUP BY d.id ORDER BY d.name;
SELECT name FROM emp WHERE salary > (SELECT avg(salary) FROM emp) ORDER BY salary DESC;
SELECT e.name, d.name AS dept FROM emp e JOIN dept d ON d.id = e.dept WHERE d.name IN ('ops', 'sales') ORDER BY 1;
SELECT name, dept, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS r,
       sum(salary) OVER (ORDER BY hired ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS rolling,
       lag(name) OVER (ORDER BY hired) AS prev, ntile(3) OVER (ORDER BY id) AS tile
  FROM emp ORDER BY id;
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 50)
  SELECT n, a FROM fib WHERE n % 10 = 0;
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt LIMIT 100) SELECT sum(x), count(*), total(x) FROM cnt;
CREATE VIEW rich AS SELECT name, salary FROM emp WHERE salary >= 100000;
SELECT * FROM rich ORDER BY name;
CREATE TABLE audit(msg TEXT);
CREATE TRIGGER emp_raise AFTER UPDATE OF salary ON emp WHEN new.salary > old.salary
  BEGIN INSERT INTO audit VALUES (new.name || ': ' || old.salary || ' -> ' || new.salary); END;
UPDATE emp SET salary = salary * 1.1 WHERE dept = 2;
SELECT * FROM audit ORDER BY msg;
CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER, n INTEGER DEFAULT 1);
INSERT INTO kv(k, v) VALUES ('a', 1), ('b', 2);
INSERT INTO kv(k, v) VALUES ('a', 10), ('c', 3) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v, n = n + 1;
SELECT * FROM kv ORDER BY k;
DELETE FROM kv WHERE v > 2 RETURNING k, v;
UPDATE emp SET dept = 4 WHERE name = 'hal' RETURNING name, dept;
SELECT name, CASE WHEN salary > 100000 THEN 'high' WHEN salary > 68000 THEN 'mid' ELSE 'low' END AS band FROM emp ORDER BY name;
SELECT dept, group_concat(name, '+') FROM (SELECT * FROM emp ORDER BY name) GROUP BY dept HAVING count(*) > 1 ORDER BY dept;
SELECT name FROM emp WHERE name LIKE '_a%' UNION SELECT name FROM dept WHERE name GLOB '*s*' ORDER BY 1;
SELECT name FROM emp EXCEPT SELECT name FROM emp WHERE dept = 1 INTERSECT SELECT name FROM emp ORDER BY 1;
SELECT count(*) FROM emp WHERE EXISTS (SELECT 1 FROM dept WHERE dept.id = emp.dept AND dept.name = 'eng');
SELECT e1.name, e2.name FROM emp e1, emp e2 WHERE e1.dept = e2.dept AND e1.id < e2.id ORDER BY 1, 2;
SELECT * FROM emp ORDER BY salary DESC LIMIT 3 OFFSET 2;
PRAGMA foreign_keys = ON;
INSERT INTO emp(name, dept) VALUES ('bad', 99);
SELECT changes(), total_changes() > 0, last_insert_rowid() > 0;
