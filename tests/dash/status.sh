# Exit statuses: $? for builtins, externals, not found (127), not executable (126), exit > 255, && and ||, signals.
true; echo "true $?"
false; echo "false $?"
nosuchcommand 2>/dev/null; echo "not found $?"
echo 'echo hi' > notexec.sh; chmod 644 notexec.sh
./notexec.sh 2>/dev/null; echo "not executable $?"
sh -c 'exit 300'; echo "exit 300: $?"
sh -c 'exit 255'; echo "exit 255: $?"
(exit 0) && echo "and ok"; (exit 1) || echo "or ok"
false && echo no || echo "and-or $?"
sh -c 'kill -9 $$'; echo "killed by 9: $?"
sh -c 'kill -TERM $$'; echo "killed by 15: $?"
f() { return 42; }; f; echo "return 42: $?"
if false; then :; else echo "if status $?"; fi
sh -c 'false'; echo "sh -c false: $?"
wc -l no-such-file 2>/dev/null; echo "wc missing: $?"
exit 3
