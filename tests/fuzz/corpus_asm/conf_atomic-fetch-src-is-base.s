lock fetch add [%r1+0], %r1
mov %r0, %r1
exit
