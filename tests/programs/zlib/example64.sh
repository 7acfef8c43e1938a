# example64/minigzip64: the same tests built with _FILE_OFFSET_BITS=64 (zlib's test64).
echo hello world | minigzip64 | minigzip64 -d || exit 1
example64 tmp64.gz >example.out || exit 1
{ read -r first; echo "${first%%, compile flags*}"; cat; } <example.out
ls
