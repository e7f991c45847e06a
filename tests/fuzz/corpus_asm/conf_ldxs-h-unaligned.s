ldxsh %r0, [%r1+3]
exit
