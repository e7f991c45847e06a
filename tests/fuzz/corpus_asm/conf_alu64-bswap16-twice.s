lddw %r0, 0xffffffffffff01fe
bswap16 %r0
bswap16 %r0
exit
