mov32 %r0, 100
mov32 %r1, -7
sdiv32 %r0, %r1
exit
