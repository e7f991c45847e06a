mov %r0, 5
.quad 0x0000000100050006
mov %r0, 6
exit
