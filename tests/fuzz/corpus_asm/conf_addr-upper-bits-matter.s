lddw %r3, 0x120000000
ldxb %r0, [%r3+0]
exit
