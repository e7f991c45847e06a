mov %r0, 3
mul %r0, -2
exit
