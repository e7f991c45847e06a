mov %r0, 0
mov %r1, 5
jgt %r1, 5, +1
exit
mov %r0, 1
exit
