lddw %r3, 0x200ffffc
lock add [%r3+0], %r1
exit
