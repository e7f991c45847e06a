sth [%r1+2], 0x12345678
ldxdw %r0, [%r1+0]
exit
