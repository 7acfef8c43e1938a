-- Full-text search: FTS5 (bm25 ranking, highlight, snippet, prefix and phrase queries)
-- and FTS4 (matchinfo, offsets).
CREATE VIRTUAL TABLE docs USING fts5(title, body);
INSERT INTO docs VALUES
  ('Lind', 'Lind runs POSIX programs compiled to WebAssembly as isolated cages'),
  ('Cages', 'Each cage has its own linear memory and file descriptor table'),
  ('Kernel', 'The kernel is written in Rust and serves every system call of every cage'),
  ('Fork', 'Fork copies the memory of a cage with copy on write mappings'),
  ('Pipes', 'Programs in cages talk through pipes, just like POSIX programs do');
SELECT title FROM docs WHERE docs MATCH 'cage' ORDER BY rank;
SELECT title, round(bm25(docs), 6) FROM docs WHERE docs MATCH 'posix OR rust' ORDER BY bm25(docs), title;
SELECT highlight(docs, 1, '[', ']') FROM docs WHERE docs MATCH '"system call"';
SELECT snippet(docs, 1, '<', '>', '...', 4) FROM docs WHERE docs MATCH 'memor*' ORDER BY title;
SELECT title FROM docs WHERE docs MATCH 'title:fork OR body:kernel' ORDER BY title;
SELECT count(*) FROM docs WHERE docs MATCH 'programs NOT webassembly';
SELECT title FROM docs WHERE docs MATCH 'NEAR(cage memory, 5)' ORDER BY title;
CREATE VIRTUAL TABLE notes USING fts4(content);
INSERT INTO notes VALUES ('the quick brown fox'), ('the lazy dog'), ('quick quick dog');
SELECT docid, hex(matchinfo(notes)) FROM notes WHERE notes MATCH 'quick' ORDER BY docid;
SELECT docid, offsets(notes) FROM notes WHERE notes MATCH 'dog' ORDER BY docid;
SELECT count(*) FROM notes WHERE notes MATCH 'qu*';
CREATE VIRTUAL TABLE v USING fts5vocab(docs, 'row');
SELECT term, doc, cnt FROM v WHERE term LIKE 'c%' ORDER BY term;
