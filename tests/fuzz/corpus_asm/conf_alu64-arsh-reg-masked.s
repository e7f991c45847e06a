lddw %r0, 0x4000000000000000
mov %r1, 126
arsh %r0, %r1
exit
