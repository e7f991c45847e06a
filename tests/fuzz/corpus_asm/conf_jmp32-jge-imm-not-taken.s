mov %r0, 0
mov %r1, 0xf
jge32 %r1, 0x10, +1
exit
mov %r0, 1
exit
