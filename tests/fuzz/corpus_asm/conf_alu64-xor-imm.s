lddw %r0, 0x5555555555555555
xor %r0, -1
exit
