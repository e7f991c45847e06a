lddw %r3, 0x200ffffc
mov %r4, 9
lock fetch add32 [%r3+0], %r4
ldxw %r0, [%r3+0]
exit
