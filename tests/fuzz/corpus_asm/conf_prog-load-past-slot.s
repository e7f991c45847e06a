lddw %r3, 0x10010000
ldxb %r0, [%r3+0]
exit
