mov %r3, %r1
add %r3, 8
ldxdw %r0, [%r3-8]
exit
