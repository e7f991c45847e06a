mov %r0, 0
lddw %r1, 0x5deadbeef
lddw %r2, 0x6deadbeef
jne32 %r1, %r2, +1
exit
mov %r0, 1
exit
