mov %r0, 0
mov %r1, -1
mov %r2, 1
jge %r1, %r2, +1
exit
mov %r0, 1
exit
