mov %r0, 0
lddw %r1, 0x8000000000000000
lddw %r2, 0x8000000000000001
jset %r1, %r2, +1
exit
mov %r0, 1
exit
