# Reading the script's stdin: read builtin, read -r, cat of the rest, line counts.
read first
echo "first line: $first"
read -r raw
echo "raw: $raw"
rest=$(cat)
echo "rest has $(echo "$rest" | wc -l) lines"
echo "$rest" | sort | head -n 2
