mov32 %r0, -5
mov %r1, 0
sdiv32 %r0, %r1
exit
