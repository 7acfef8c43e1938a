# NEEDS: speedtest1
# TIMEOUT: 300
# SQLite's speedtest1 (built by `programs/sqlite3/build.sh --speedtest1`): every test's
# name and the verification hash of the database content must match; times are dropped.
speedtest1 --size 10 --verify st.db >out.txt || { echo "speedtest1 failed: $?"; exit 1; }
while IFS= read -r l; do
	case $l in
	*Verification*) echo "$l" ;;
	*....*) echo "${l%%..*}" ;;
	*) echo "$l" ;;
	esac
done <out.txt
