stdw [%r1+8], 0x80000000
ldxdw %r0, [%r1+8]
exit
