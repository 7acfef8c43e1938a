# zlib's inflate coverage test (`make cover` runs it).
infcover
