-- JSON functions.
SELECT json('{"a": [1, 2, {"b": null}], "c": "x"}'), json_valid('{x}'), json_valid('[1]'), json_type('{"a":1.5}', '$.a');
SELECT json_extract('{"a":{"b":[10,20,30]}}', '$.a.b[1]'), '{"a":[1,2,3]}' -> '$.a', '{"a":[1,2,3]}' ->> '$.a[2]', json_array_length('[1,2,[3,4]]');
SELECT json_object('k', 1, 'arr', json_array(1, 'two', 3.5, NULL)), json_insert('{"a":1}', '$.b', 2), json_replace('{"a":1}', '$.a', 'z');
SELECT json_set('{"a":1}', '$.c[#]', 5), json_remove('[0,1,2,3]', '$[1]', '$[1]'), json_patch('{"a":1,"b":2}', '{"b":null,"c":3}'), json_quote('a"b');
SELECT key, value, type, path FROM json_each('{"x": 1, "y": [2, 3], "z": {"w": true}}') ORDER BY key;
SELECT fullkey, atom FROM json_tree('{"a":[1,{"b":2}]}') WHERE atom IS NOT NULL ORDER BY fullkey;
SELECT json_group_array(v), json_group_object(k, v) FROM (SELECT 'a' AS k, 1 AS v UNION ALL SELECT 'b', 2.5);
SELECT json_extract('[1e400, -0.0, 12345678901234567890, 0.1]', '$'), json('"\u00e9\ud83d\ude00"');
SELECT json('{"bad": }');
