lddw %r3, 0x10010000
stb [%r3+0], 1
exit
