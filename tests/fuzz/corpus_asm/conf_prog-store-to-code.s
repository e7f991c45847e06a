lddw %r3, 0x10000000
stb [%r3+0], 0
exit
