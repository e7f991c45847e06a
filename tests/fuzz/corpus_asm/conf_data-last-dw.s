lddw %r3, 0x200ffff8
stdw [%r3+0], -2
ldxdw %r0, [%r3+0]
exit
