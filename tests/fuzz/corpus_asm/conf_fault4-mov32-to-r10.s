mov %r0, 1
mov32 %r10, %r1
exit
