mov %r0, 1
.quad 0x00000010000000df
exit
