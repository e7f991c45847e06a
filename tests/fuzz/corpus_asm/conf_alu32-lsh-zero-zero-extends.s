lddw %r0, 0x123456789abcdef0
lsh32 %r0, 0
exit
