mov %r0, -99
smod %r0, 0
exit
