# Runs one Lua case: lua <case>.lua
exec lua "$@"
