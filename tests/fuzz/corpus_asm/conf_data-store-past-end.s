lddw %r3, 0x200ffff8
stb [%r3+8], 1
exit
