mov %r0, -99
sdiv %r0, 0
exit
