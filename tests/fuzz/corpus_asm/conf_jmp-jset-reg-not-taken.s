mov %r0, 0
mov %r1, 0x0f
mov %r2, 0xf0
jset %r1, %r2, +1
exit
mov %r0, 1
exit
