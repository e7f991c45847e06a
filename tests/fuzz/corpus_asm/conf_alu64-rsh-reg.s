lddw %r0, 0xf0f0f0f0f0f0f0f0
mov %r1, 4
rsh %r0, %r1
exit
