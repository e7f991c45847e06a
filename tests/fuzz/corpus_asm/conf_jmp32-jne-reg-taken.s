mov %r0, 0
lddw %r1, 0x500000001
lddw %r2, 0x500000002
jne32 %r1, %r2, +1
exit
mov %r0, 1
exit
