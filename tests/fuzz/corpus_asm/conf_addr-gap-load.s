lddw %r3, 0x40000000
ldxw %r0, [%r3+0]
exit
