lddw %r0, 0xaaaaaaaa12345678
lddw %r1, 0x700000000
mod32 %r0, %r1
exit
