lddw %r3, 0x1122334455667788
stxdw [%r1+3], %r3
ldxdw %r0, [%r1+3]
exit
