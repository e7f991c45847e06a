mov32 %r0, 0x80000000
arsh32 %r0, 32
exit
