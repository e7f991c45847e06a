lddw %r0, 0x8000000000000001
mov %r3, 7
lock cmpxchg [%r1+0], %r3
exit
