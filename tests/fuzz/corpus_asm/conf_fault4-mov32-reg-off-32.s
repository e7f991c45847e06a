mov %r0, 1
.quad 0x00000000002010bc
exit
