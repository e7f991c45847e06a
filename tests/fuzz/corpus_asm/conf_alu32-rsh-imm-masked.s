mov32 %r0, 0x80000000
rsh32 %r0, 63
exit
