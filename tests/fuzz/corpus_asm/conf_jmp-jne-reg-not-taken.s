mov %r0, 0
mov %r1, -3
mov %r2, -3
jne %r1, %r2, +1
exit
mov %r0, 1
exit
