mov %r0, 0
mov32 %r1, -3
mov %r2, 0
jsge32 %r1, %r2, +1
exit
mov %r0, 1
exit
