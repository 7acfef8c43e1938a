# Here-documents: expansion, quoted delimiter, <<- tab stripping, into external commands, two on one line, and one larger than a pipe (dash writes it from a child).
name=world
cat <<EOF
hello $name $((6 * 7))
$(echo command substitution)
EOF
cat <<'EOF'
literal $name $((1+1)) `echo no`
EOF
cat <<-EOF
	tab-stripped $name
		two tabs
	EOF
f() {
	cat <<EOF | wc -l
a
b
c
EOF
}
f
{ read a; read b <&3; echo "$a / $b"; } <<ONE 3<<TWO
from one
ONE
from three
TWO
big=$(seq 1 20000)
cat <<EOF | wc -c
$big
EOF
while read l; do echo "got $l"; done <<EOF
x
y
EOF
