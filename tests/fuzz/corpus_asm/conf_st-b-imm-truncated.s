stb [%r1+7], 0x1ff
ldxdw %r0, [%r1+0]
exit
