mov %r0, 1
.quad 0x000000f0000021c3
exit
