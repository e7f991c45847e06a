lddw %r3, 0x30000ff8
stdw [%r3+0], 9
ldxdw %r0, [%r3+0]
exit
