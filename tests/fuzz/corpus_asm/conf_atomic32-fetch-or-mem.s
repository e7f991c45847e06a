lddw %r3, 0xdeadbeef0ff00ff0
lock fetch or32 [%r1+0], %r3
ldxdw %r0, [%r1+0]
exit
