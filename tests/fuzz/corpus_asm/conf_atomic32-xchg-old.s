mov32 %r3, 0x12345678
lock xchg32 [%r1+4], %r3
mov %r0, %r3
exit
