lddw %r0, 0xfedcba9880000000
arsh32 %r0, 0
exit
