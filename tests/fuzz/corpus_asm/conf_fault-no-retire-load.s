lddw %r3, 0x200ffff9
ldxdw %r0, [%r3+0]
exit
