mov %r0, 0
mov %r1, 5
jeq32 %r1, 4, +1
exit
mov %r0, 1
exit
