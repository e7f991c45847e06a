mov %r0, 0
mov %r1, 0x12
jset %r1, 0x2, +1
exit
mov %r0, 1
exit
