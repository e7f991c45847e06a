mov %r0, 0
mov %r1, 5
jne %r1, 6, +1
exit
mov %r0, 1
exit
