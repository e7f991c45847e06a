mov %r0, -64
arsh %r0, 67
exit
