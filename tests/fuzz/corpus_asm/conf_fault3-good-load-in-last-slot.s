mov %r0, 0
ldxb %r0, [%r1+0]
