lddw %r3, 0xffffffff12345678
lock xchg32 [%r1+4], %r3
ldxdw %r0, [%r1+0]
exit
