mov %r0, 0
lddw %r1, 0xffffffff00000001
jgt32 %r1, 5, +1
exit
mov %r0, 1
exit
