mov32 %r0, 0x80000000
mov %r1, -1
sdiv32 %r0, %r1
exit
