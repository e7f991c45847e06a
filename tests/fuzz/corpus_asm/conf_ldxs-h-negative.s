ldxsh %r0, [%r1+6]
exit
