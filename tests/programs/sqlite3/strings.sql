-- String functions, LIKE/GLOB, collation, unicode.
SELECT upper('abc é'), lower('ÀBC'), length('日本語'), substr('hello world', 7), substr('hello', -3, 2), substr('hello', 2);
SELECT instr('hello', 'll'), replace('a-b-c', '-', '+'), trim('  x  '), ltrim('xxyxz', 'x'), rtrim('a...', '.'), '|' || trim('--a--', '-') || '|';
SELECT 'abc' LIKE 'A%', 'abc' LIKE 'a_c', 'a%c' LIKE 'a\%c' ESCAPE '\', 'abc' GLOB 'a*', 'abc' GLOB 'A*', 'x1' GLOB '[a-z][0-9]';
SELECT char(72, 105, 9731), unicode('€'), hex(char(0)), quote('a''b'), format('%s-%d-%5.1f', 'x', 7, 2.25), soundex('Robert'), soundex('Rupert');
SELECT group_concat(x, ',') FROM (SELECT 'b' AS x UNION ALL SELECT 'a' UNION ALL SELECT 'c' ORDER BY 1);
SELECT x FROM (SELECT 'b' AS x UNION SELECT 'B' UNION SELECT 'a' UNION SELECT 'A' UNION SELECT '_') ORDER BY x COLLATE NOCASE, x;
SELECT x FROM (SELECT 'x10' AS x UNION SELECT 'x9' UNION SELECT 'x100') ORDER BY x;
SELECT x FROM (SELECT 'a ' AS x UNION SELECT 'a') ORDER BY x COLLATE RTRIM;
SELECT 'it''s', 'multi
line', length(printf('%.1000c', 'x')), length(replace(printf('%.20000c', 'x'), 'x', 'yy'));
SELECT concat('a', NULL, 'b', 1, 2.5), concat_ws('-', 'a', NULL, 'b');
SELECT substr(x'0102030405', 2, 3) = x'020304', hex(substr(x'0102030405', 2, 3)), unhex('414243'), unhex('4G');
SELECT string_agg(name, ';') FROM (SELECT 'p' AS name UNION ALL SELECT 'q');
