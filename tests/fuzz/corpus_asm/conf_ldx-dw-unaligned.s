ldxdw %r0, [%r1+5]
exit
