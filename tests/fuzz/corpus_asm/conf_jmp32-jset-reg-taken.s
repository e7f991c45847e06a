mov %r0, 0
mov %r1, 0x101
mov %r2, 0x100
jset32 %r1, %r2, +1
exit
mov %r0, 1
exit
