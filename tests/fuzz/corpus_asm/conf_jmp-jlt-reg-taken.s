mov %r0, 0
mov %r1, 1
lddw %r2, 0x8000000000000000
jlt %r1, %r2, +1
exit
mov %r0, 1
exit
