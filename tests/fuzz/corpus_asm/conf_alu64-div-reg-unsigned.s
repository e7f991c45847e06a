lddw %r0, 0xffffffffffffffff
mov %r1, 16
div %r0, %r1
exit
