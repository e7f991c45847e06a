mov32 %r0, 0x80
be32 %r0
exit
