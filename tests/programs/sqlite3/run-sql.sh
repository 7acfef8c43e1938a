# Runs one SQL case with the sqlite3 shell on a database file in the run directory;
# errors (to stderr) are folded into stdout so that they are compared too.
exec sqlite3 -batch test.db <"$1" 2>&1
