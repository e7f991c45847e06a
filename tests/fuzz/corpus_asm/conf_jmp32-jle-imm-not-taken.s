mov %r0, 0
mov %r1, 2
jle32 %r1, 1, +1
exit
mov %r0, 1
exit
