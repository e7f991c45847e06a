mov %r0, 1
.quad 0x00000008000000d4
exit
