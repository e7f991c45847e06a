lddw %r0, 0x0123456789abcdef
lddw %r1, 0xffffffff00000000
xor %r0, %r1
exit
