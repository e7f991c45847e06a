mov %r0, 1
.quad 0x000000010001c015
mov %r0, 2
exit
