mov32 %r0, -16
mov %r1, 34
arsh32 %r0, %r1
exit
