lddw %r3, 0x10000000
stb [%r3+31], 0
exit
