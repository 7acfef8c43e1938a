# The lua command line: -e, -v, -l, -i is interactive (not tested), scripts with
# arguments, the script from stdin, error exit status, LUA_INIT.
lua -e 'print(1 + 1)' -e 'print(_VERSION)'
lua -v | head -n 1 | { read -r a b c; echo "$a $b"; }
echo 'print("from stdin", ...)' | lua - x y
printf 'print(#arg, arg[0], arg[1], arg[2], arg[-1] ~= nil)\n' >args.lua
lua args.lua one "two words"
lua -e 'error("fail")' 2>/dev/null; echo "status $?"
lua -e 'os.exit(false)'; echo "status $?"
lua -e 'os.exit(true)'; echo "status $?"
lua -e 'os.exit(42)'; echo "status $?"
lua no_such_script.lua 2>/dev/null; echo "status $?"
LUA_INIT='print("init ran")' lua -e 'print("main")'
echo 'x = 1' >lib.lua
LUA_PATH='./?.lua' lua -l lib -e 'print("x is", x)'
lua -W -e 'warn("a warning")' 2>&1
lua -e 'io.write("no newline")'; echo
printf 'return 6 * 7\n' | lua -e 'print(load(io.read("a"))())'
