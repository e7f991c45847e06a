mov %r0, 0
lddw %r1, 0xffffffff00000000
jlt32 %r1, 1, +1
exit
mov %r0, 1
exit
