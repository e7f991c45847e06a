lddw %r0, 0x1234567800000005
lddw %r1, 0xabcdef0000000007
add32 %r0, %r1
exit
