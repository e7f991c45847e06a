mov %r0, 0
lddw %r1, 0x1234567880000000
jeq32 %r1, 0x80000000, +1
exit
mov %r0, 1
exit
