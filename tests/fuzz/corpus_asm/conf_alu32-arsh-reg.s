mov32 %r0, -16
mov %r1, 2
arsh32 %r0, %r1
exit
