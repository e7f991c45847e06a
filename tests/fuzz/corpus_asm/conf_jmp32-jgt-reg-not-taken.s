mov %r0, 0
mov %r1, 3
lddw %r2, 0x100000003
jgt32 %r1, %r2, +1
exit
mov %r0, 1
exit
