mov %r3, 1
lock fetch add32 [%r1+0], %r3
mov %r0, %r3
exit
