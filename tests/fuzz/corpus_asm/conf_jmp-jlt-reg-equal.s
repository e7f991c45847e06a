mov %r0, 0
mov %r1, 9
mov %r2, 9
jlt %r1, %r2, +1
exit
mov %r0, 1
exit
