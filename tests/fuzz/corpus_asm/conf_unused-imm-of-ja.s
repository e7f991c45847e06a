mov %r0, 1
.quad 0x0000000700010005
mov %r0, 2
exit
