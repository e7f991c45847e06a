mov %r0, 1
.quad 0x0000000500000b07
exit
