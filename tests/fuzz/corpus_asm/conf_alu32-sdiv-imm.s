mov32 %r0, -100
sdiv32 %r0, 7
exit
