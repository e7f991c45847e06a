mov %r1, 4
.quad 0x000000630000100f
exit
