lddw %r0, 0xffffffff00000001
mov32 %r0, %r0
exit
