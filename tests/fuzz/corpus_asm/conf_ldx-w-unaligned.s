ldxw %r0, [%r1+3]
exit
