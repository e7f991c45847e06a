mov %r0, 1
.quad 0x000000010000f706
mov %r0, 2
exit
