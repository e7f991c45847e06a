mov32 %r0, -100
mov32 %r1, -7
smod32 %r0, %r1
exit
