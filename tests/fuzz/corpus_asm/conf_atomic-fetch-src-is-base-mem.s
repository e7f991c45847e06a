mov %r3, %r1
lock fetch add [%r1+0], %r1
ldxdw %r0, [%r3+0]
exit
