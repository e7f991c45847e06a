stdw [%r10-8], 0x1234
ldxdw %r0, [%r10-8]
exit
