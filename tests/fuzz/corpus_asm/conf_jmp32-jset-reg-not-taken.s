mov %r0, 0
lddw %r1, 0x100000000
lddw %r2, 0x100000000
jset32 %r1, %r2, +1
exit
mov %r0, 1
exit
