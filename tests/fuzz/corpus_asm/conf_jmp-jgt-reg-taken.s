mov %r0, 0
lddw %r1, 0x100000000
mov32 %r2, 0xffffffff
jgt %r1, %r2, +1
exit
mov %r0, 1
exit
