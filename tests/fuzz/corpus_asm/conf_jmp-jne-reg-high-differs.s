mov %r0, 0
lddw %r1, 0x100000005
mov %r2, 5
jne %r1, %r2, +1
exit
mov %r0, 1
exit
