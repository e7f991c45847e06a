lddw %r3, 0x0102030405060708
stxdw [%r1+0], %r3
ldxdw %r0, [%r1+0]
exit
