lddw %r3, 0x1000ffff
ldxh %r0, [%r3+0]
exit
