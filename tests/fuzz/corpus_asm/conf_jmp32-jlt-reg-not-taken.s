mov %r0, 0
mov32 %r1, 0x80000000
mov %r2, 1
jlt32 %r1, %r2, +1
exit
mov %r0, 1
exit
