lddw %r3, 0x10000000
stb [%r3+40], 0x66
ldxb %r0, [%r3+40]
exit
