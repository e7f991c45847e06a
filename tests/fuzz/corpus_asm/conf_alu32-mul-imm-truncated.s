mov32 %r0, 0x10000
mul32 %r0, 0x10000
exit
