lddw %r0, 0x1122334455667788
bswap64 %r0
exit
