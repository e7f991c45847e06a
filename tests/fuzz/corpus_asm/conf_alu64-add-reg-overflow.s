lddw %r0, 0x7fffffffffffffff
mov %r1, 1
add %r0, %r1
exit
