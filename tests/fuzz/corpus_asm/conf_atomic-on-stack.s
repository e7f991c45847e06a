stdw [%r10-8], 5
mov %r3, 3
lock add [%r10-8], %r3
ldxdw %r0, [%r10-8]
exit
