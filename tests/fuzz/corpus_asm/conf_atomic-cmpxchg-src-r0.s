mov %r0, 5
lock cmpxchg [%r1+0], %r0
ldxdw %r1, [%r1+0]
lsh %r0, 8
or %r0, %r1
exit
