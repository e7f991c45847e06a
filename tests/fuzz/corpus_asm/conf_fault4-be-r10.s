mov %r0, 1
be16 %r10
exit
