mov %r0, 0
mov32 %r1, -1
mov32 %r2, -1
jge32 %r1, %r2, +1
exit
mov %r0, 1
exit
