lddw %r3, 0x200ffff8
ldxb %r0, [%r3+8]
exit
