mov %r0, 0
mov %r1, 1
mov32 %r2, 0x80000000
jlt32 %r1, %r2, +1
exit
mov %r0, 1
exit
