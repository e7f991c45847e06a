mov %r0, 0
lock cmpxchg [%r1+0], %r10
ldxdw %r0, [%r1+0]
exit
