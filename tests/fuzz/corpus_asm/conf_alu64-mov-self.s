lddw %r0, 0xfedcba9876543210
mov %r0, %r0
exit
