lddw %r0, 0x12345678ffffffff
mov %r3, 5
lock cmpxchg32 [%r1+0], %r3
exit
