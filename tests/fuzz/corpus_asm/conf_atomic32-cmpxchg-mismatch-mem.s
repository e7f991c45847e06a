mov %r0, 0
mov %r3, 5
lock cmpxchg32 [%r1+0], %r3
ldxdw %r0, [%r1+0]
exit
