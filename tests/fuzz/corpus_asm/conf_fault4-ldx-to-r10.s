mov %r0, 1
ldxdw %r10, [%r1+0]
exit
