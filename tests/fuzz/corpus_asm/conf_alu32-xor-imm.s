lddw %r0, 0xffffffff55555555
xor32 %r0, -1
exit
