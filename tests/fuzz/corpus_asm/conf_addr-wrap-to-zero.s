mov %r3, -1
ldxb %r0, [%r3+1]
exit
