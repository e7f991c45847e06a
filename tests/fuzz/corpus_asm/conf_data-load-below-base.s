ldxb %r0, [%r1-1]
exit
