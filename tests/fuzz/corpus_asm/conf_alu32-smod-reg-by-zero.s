lddw %r0, 0xaaaaaaaafffffffb
mov %r1, 0
smod32 %r0, %r1
exit
