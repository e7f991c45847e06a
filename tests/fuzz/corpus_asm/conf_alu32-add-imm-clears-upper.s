lddw %r0, 0xffffffff00000001
add32 %r0, 1
exit
