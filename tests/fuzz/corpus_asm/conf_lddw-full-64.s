lddw %r0, 0xfedcba9876543210
exit
