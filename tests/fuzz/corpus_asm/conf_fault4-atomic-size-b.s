mov %r0, 1
.quad 0x00000000000021d3
exit
