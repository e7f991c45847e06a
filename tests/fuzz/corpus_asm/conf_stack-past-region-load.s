lddw %r3, 0x30001000
ldxb %r0, [%r3+0]
exit
