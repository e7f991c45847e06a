lddw %r3, 0xff00ff00ff00ff0
lock fetch and [%r1+0], %r3
ldxdw %r0, [%r1+0]
exit
