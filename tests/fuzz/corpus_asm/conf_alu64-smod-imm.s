mov %r0, -100
smod %r0, 7
exit
