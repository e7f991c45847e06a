lddw %r3, 0x0102030405060708
stxb [%r1+7], %r3
ldxdw %r0, [%r1+0]
exit
