lddw %r3, 0x1000ffff
stb [%r3+0], 0x77
ldxb %r0, [%r3+0]
exit
