mov %r0, 0
lddw %r1, 0x0000000080000000
lddw %r2, 0xffffffff7fffffff
jgt32 %r1, %r2, +1
exit
mov %r0, 1
exit
