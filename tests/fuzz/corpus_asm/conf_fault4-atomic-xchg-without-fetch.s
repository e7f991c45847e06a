mov %r0, 1
.quad 0x000000e0000021db
exit
