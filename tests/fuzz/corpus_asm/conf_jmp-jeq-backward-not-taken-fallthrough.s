mov %r0, 8
jeq %r0, 9, -2
exit
