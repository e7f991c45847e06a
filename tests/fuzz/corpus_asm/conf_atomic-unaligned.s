lddw %r3, 0x0102030405060708
lock add [%r1+3], %r3
ldxdw %r0, [%r1+3]
exit
