mov %r0, 1
.quad 0x00000005000100b7
exit
