lddw %r1, 0x1122334455667788
mov32 %r0, %r1
exit
