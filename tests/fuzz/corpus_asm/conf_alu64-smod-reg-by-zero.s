mov %r0, -5
mov %r1, 0
smod %r0, %r1
exit
