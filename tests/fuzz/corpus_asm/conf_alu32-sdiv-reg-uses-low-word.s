lddw %r0, 0x00000001fffffff0
mov32 %r1, 4
sdiv32 %r0, %r1
exit
