mov %r3, 0
ldxdw %r0, [%r3+0]
exit
