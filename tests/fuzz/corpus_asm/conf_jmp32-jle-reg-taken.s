mov %r0, 0
lddw %r1, 0x0000000100000002
lddw %r2, 0x0000000000000002
jle32 %r1, %r2, +1
exit
mov %r0, 1
exit
