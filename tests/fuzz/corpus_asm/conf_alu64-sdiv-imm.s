mov %r0, -100
sdiv %r0, 7
exit
