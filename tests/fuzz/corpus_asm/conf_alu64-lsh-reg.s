mov %r0, 0xff
mov %r1, 32
lsh %r0, %r1
exit
