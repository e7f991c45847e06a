mov %r0, 1
.quad 0x00000001000000f4
exit
