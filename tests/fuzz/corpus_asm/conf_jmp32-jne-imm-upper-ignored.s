mov %r0, 0
lddw %r1, 0x100000000
jne32 %r1, 0, +1
exit
mov %r0, 1
exit
