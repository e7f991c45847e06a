mov %r0, 3
lsh %r0, 65
exit
