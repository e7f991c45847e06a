mov %r0, 7
smod %r0, -1
exit
