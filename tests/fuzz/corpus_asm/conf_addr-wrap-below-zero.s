mov %r3, 0
ldxb %r0, [%r3-1]
exit
