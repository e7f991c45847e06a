lddw %r0, 0x12345678ffffffff
lddw %r3, 0xaaaaaaaa00000005
lock cmpxchg32 [%r1+0], %r3
ldxdw %r0, [%r1+0]
exit
