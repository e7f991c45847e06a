mov %r0, 0
mov32 %r1, -1
jle32 %r1, -1, +1
exit
mov %r0, 1
exit
