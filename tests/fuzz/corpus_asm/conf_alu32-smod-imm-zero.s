lddw %r0, 0x12345678ffffff9d
smod32 %r0, 0
exit
