mov %r0, 3
mov %r1, 64
lsh %r0, %r1
exit
