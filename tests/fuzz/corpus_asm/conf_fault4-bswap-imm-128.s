mov %r0, 1
.quad 0x00000080000000d7
exit
