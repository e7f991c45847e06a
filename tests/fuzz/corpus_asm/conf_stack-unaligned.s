lddw %r3, 0x8899aabbccddeeff
stxdw [%r10-13], %r3
ldxw %r0, [%r10-11]
exit
