mov %r0, 0
lddw %r1, 0x12345678ffffffff
jsge32 %r1, -1, +1
exit
mov %r0, 1
exit
