mov %r0, 0
mov %r1, 5
jlt %r1, -1, +1
exit
mov %r0, 1
exit
