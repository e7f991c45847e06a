mov %r0, 0
lddw %r1, 0x123456789
lddw %r2, 0x123456789
jeq %r1, %r2, +1
exit
mov %r0, 1
exit
