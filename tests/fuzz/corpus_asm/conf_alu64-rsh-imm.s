lddw %r0, 0x8000000000000000
rsh %r0, 63
exit
