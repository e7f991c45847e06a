mov %r0, 0
lddw %r1, 0x100000000
jset %r1, -0x80000000, +1
exit
mov %r0, 1
exit
