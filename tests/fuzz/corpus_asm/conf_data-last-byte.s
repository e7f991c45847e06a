lddw %r3, 0x200fffff
stb [%r3+0], 0x5a
ldxb %r0, [%r3+0]
exit
