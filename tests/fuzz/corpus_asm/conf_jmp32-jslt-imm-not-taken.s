mov %r0, 0
lddw %r1, 0xffffffff00000000
jslt32 %r1, 0, +1
exit
mov %r0, 1
exit
