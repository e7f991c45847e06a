mov32 %r0, 0x80000000
mov %r1, 0x21
rsh32 %r0, %r1
exit
