mov %r0, 0
lddw %r1, 0x7700000010
jge32 %r1, 0x10, +1
exit
mov %r0, 1
exit
