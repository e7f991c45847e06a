lddw %r3, 0x0102030405060708
lock xchg [%r1+0], %r3
mov %r0, %r3
exit
