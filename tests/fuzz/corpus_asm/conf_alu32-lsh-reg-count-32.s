mov32 %r0, 5
mov %r1, 32
lsh32 %r0, %r1
exit
