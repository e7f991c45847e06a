mov %r0, 100
mov %r1, -7
sdiv %r0, %r1
exit
