mov %r0, 0
lddw %r1, 0x100000007
lddw %r2, 0x200000007
jeq32 %r1, %r2, +1
exit
mov %r0, 1
exit
