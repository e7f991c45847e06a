ldxdw %r0, [%r10-8]
ldxdw %r3, [%r10-512]
or %r0, %r3
lddw %r3, 0x30000ff8
ldxdw %r3, [%r3+0]
or %r0, %r3
exit
