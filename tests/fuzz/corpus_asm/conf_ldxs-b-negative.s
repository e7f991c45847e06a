ldxsb %r0, [%r1+7]
exit
