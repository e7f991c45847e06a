mov %r0, 0
lddw %r1, 0x1ffffffff
lddw %r2, 0x2ffffffff
jsle32 %r1, %r2, +1
exit
mov %r0, 1
exit
