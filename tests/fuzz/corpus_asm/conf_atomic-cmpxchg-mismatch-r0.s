mov %r0, 1
mov %r3, 7
lock cmpxchg [%r1+0], %r3
exit
