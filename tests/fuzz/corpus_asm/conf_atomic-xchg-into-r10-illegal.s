mov %r0, 0
lock xchg32 [%r1+0], %r10
exit
