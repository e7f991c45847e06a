mov %r0, -16
mov %r1, 2
arsh %r0, %r1
exit
