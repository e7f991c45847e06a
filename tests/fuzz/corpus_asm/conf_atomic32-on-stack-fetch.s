stw [%r10-4], -1
mov %r3, 1
lock fetch and32 [%r10-4], %r3
ldxw %r4, [%r10-4]
lsh %r3, 8
or %r3, %r4
mov %r0, %r3
exit
