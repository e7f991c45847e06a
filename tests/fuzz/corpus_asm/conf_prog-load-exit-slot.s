lddw %r3, 0x10000000
ldxdw %r0, [%r3+24]
exit
