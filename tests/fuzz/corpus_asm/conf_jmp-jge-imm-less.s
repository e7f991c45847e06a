mov %r0, 0
mov %r1, 6
jge %r1, 7, +1
exit
mov %r0, 1
exit
