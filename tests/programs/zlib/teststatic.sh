# zlib's own `make teststatic` (Makefile.in): a minigzip round trip through pipes, then
# example (which writes and reads back a .gz file).  Its first line reports
# zlibCompileFlags(), which encodes sizeof(long) and sizeof(void *): 8 natively, 4 on
# wasm32, so only the part before "compile flags" is compared.
TMPST=tmpst_$$
if echo hello world | minigzip | minigzip -d && example $TMPST >example.out; then
	echo '		*** zlib test OK ***'
else
	echo '		*** zlib test FAILED ***'; exit 1
fi
{ read -r first; echo "${first%%, compile flags*}"; cat; } <example.out
rm -f $TMPST
