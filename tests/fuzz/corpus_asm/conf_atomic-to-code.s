lddw %r3, 0x10000000
mov %r4, 1
lock add [%r3+0], %r4
exit
