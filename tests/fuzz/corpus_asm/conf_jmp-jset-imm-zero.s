mov %r0, 0
mov %r1, -1
jset %r1, 0, +1
exit
mov %r0, 1
exit
