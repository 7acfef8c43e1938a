-- R*Tree spatial index.
CREATE VIRTUAL TABLE boxes USING rtree(id, minx, maxx, miny, maxy);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
INSERT INTO boxes SELECT i, (i * 37) % 1000, (i * 37) % 1000 + 10, (i * 91) % 1000, (i * 91) % 1000 + 10 FROM n;
SELECT count(*) FROM boxes WHERE minx >= 100 AND maxx <= 300 AND miny >= 100 AND maxy <= 300;
SELECT id FROM boxes WHERE maxx >= 500 AND minx <= 505 AND maxy >= 500 AND miny <= 505 ORDER BY id;
SELECT rtreecheck('boxes');
DELETE FROM boxes WHERE id % 2 = 0;
SELECT count(*), min(id), max(id) FROM boxes;
